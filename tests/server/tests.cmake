# Tests of allot serve, included from server/CMakeLists.txt.
#   server:  the JSON API over real HTTP on loopback (test_api.c), and a
#            check that server/assets_gen.c matches web/dashboard
#   browser: the dashboard end to end in headless Chromium (playwright-core)

add_test(NAME server_assets_current
  COMMAND ${PROJECT_SOURCE_DIR}/server/gen_assets.sh --check)
set_tests_properties(server_assets_current PROPERTIES LABELS server TIMEOUT 60)
