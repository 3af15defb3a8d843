# Tests of allot serve, included from server/CMakeLists.txt.
#   server:  the JSON API over real HTTP on loopback (test_api.c), and a
#            check that server/assets_gen.c matches web/dashboard
#   browser: the dashboard end to end in headless Chromium (playwright-core)

add_test(NAME server_assets_current
  COMMAND ${PROJECT_SOURCE_DIR}/server/gen_assets.sh --check)
set_tests_properties(server_assets_current PROPERTIES LABELS server TIMEOUT 60)

pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
add_executable(test_server_api ${PROJECT_SOURCE_DIR}/tests/server/test_api.c)
target_compile_definitions(test_server_api PRIVATE ALLOT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
# allot_lib: the change grammar, to check the API answers with the same parser
target_link_libraries(test_server_api PRIVATE allot_lib PkgConfig::JANSSON PkgConfig::CMOCKA PkgConfig::ZLIB
  Threads::Threads)
add_test(NAME server_api COMMAND test_server_api $<TARGET_FILE:allot>)
set_tests_properties(server_api PROPERTIES LABELS server TIMEOUT 300)

# The dashboard in headless Chromium (Debian's chromium, playwright-core from
# web/node_modules: cd web && npm ci).  Screenshots land in
# ${build}/server-browser/.
find_program(NODE_EXE node)
if(NODE_EXE)
  add_test(NAME server_browser
    COMMAND ${NODE_EXE} ${PROJECT_SOURCE_DIR}/tests/server/browser_test.js
      --allot $<TARGET_FILE:allot> --src ${PROJECT_SOURCE_DIR}
      --out ${PROJECT_BINARY_DIR}/server-browser)
  set_tests_properties(server_browser PROPERTIES LABELS browser TIMEOUT 300)
endif()

# The budget under attack (tests/server/load_budget.c): the dashboard keeps
# answering while 300 slow connections and 32 cache-busting clients run on
# loopback.  The ctest is the short version (10 s); `make load-test` runs it
# for 60 s.  Under the sanitizers the server is several times slower and
# bigger: the goals there are looser (the failures still count).
add_executable(load_budget ${PROJECT_SOURCE_DIR}/tests/server/load_budget.c)
target_link_libraries(load_budget PRIVATE Threads::Threads)
if(ALLOT_SANITIZE)
  set(LOAD_BUDGET_GOALS --p99-ms 2000 --rss-mib 1024)
else()
  set(LOAD_BUDGET_GOALS --p99-ms 250 --rss-mib 256)
endif()
add_test(NAME server_load_budget
  COMMAND load_budget --allot $<TARGET_FILE:allot> --src ${PROJECT_SOURCE_DIR} --seconds 10
    ${LOAD_BUDGET_GOALS})
set_tests_properties(server_load_budget PROPERTIES LABELS server TIMEOUT 60 RUN_SERIAL TRUE)

# Issue 17: each dashboard page against the CLI's --json, with a screenshot
# of every page in ${build}/lookups-browser/ for a reviewer.
if(NODE_EXE)
  add_test(NAME lookups_browser
    COMMAND ${NODE_EXE} ${PROJECT_SOURCE_DIR}/tests/server/lookups_browser_test.js
      --allot $<TARGET_FILE:allot> --src ${PROJECT_SOURCE_DIR}
      --out ${PROJECT_BINARY_DIR}/lookups-browser)
  set_tests_properties(lookups_browser PROPERTIES LABELS browser TIMEOUT 300)
endif()
