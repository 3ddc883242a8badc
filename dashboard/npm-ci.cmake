# cmake -DNPM=<npm> -DDIR=<dashboard dir> -P npm-ci.cmake
# Runs `npm ci` in DIR when node_modules is missing or package-lock.json differs from the
# copy saved after the last successful install. A file lock serialises build trees that
# share the folder (release and sanitizer builds, several developers' build dirs).
if(NOT NPM OR NOT DIR)
  message(FATAL_ERROR "npm-ci.cmake: pass -DNPM=<npm> -DDIR=<dashboard folder>")
endif()
set(_lock ${DIR}/package-lock.json)
set(_seen ${DIR}/node_modules/.tradehost-lock)
file(LOCK ${DIR}/.npm-ci.lock GUARD PROCESS TIMEOUT 900 RESULT_VARIABLE _locked)
if(NOT _locked EQUAL 0)
  message(FATAL_ERROR "npm-ci.cmake: cannot lock ${DIR}/.npm-ci.lock: ${_locked}")
endif()
set(_need TRUE)
if(EXISTS ${_seen})
  file(SHA256 ${_lock} _want)
  file(SHA256 ${_seen} _have)
  if(_want STREQUAL _have)
    set(_need FALSE)
  endif()
endif()
if(_need)
  message(STATUS "dashboard: npm ci (node_modules missing or package-lock.json changed)")
  execute_process(COMMAND ${NPM} ci --no-audit --no-fund --loglevel=error
    WORKING_DIRECTORY ${DIR} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "dashboard: `npm ci` failed in ${DIR} (exit ${_rc}); the registry must be reachable "
      "for the first build, or configure with -DTH_BUILD_DASHBOARD=OFF")
  endif()
  file(COPY_FILE ${_lock} ${_seen})
endif()
