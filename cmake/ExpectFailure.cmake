# Runs a command that must fail: exit code EXPECT_CODE and exactly one line
# on stderr matching EXPECT_STDERR (regex). Used by ctest for bad-input tests.
#   cmake -DEXPECT_CODE=2 -DEXPECT_STDERR=regex -P ExpectFailure.cmake -- cmd args...
set(cmd)
set(seen_separator FALSE)
foreach(i RANGE 1 ${CMAKE_ARGC})
  if(seen_separator)
    list(APPEND cmd "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(seen_separator TRUE)
  endif()
endforeach()
execute_process(COMMAND ${cmd} RESULT_VARIABLE code
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL EXPECT_CODE)
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECT_CODE}\nstderr:\n${err}")
endif()
# Ignore lines the libraries print themselves (bdwgc warnings, Google
# Benchmark's own notes); memstrat's own message is the line naming the tool.
string(REPLACE ";" "," err "${err}")  # ';' would split CMake lists
string(REGEX MATCHALL "[^\n]*error:[^\n]*" ours "${err}")
list(LENGTH ours n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one error line, got ${n}:\n${err}")
endif()
if(NOT ours MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "error line does not match '${EXPECT_STDERR}':\n${ours}")
endif()
