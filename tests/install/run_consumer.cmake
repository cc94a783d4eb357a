# Builds tests/install/consumer against knead, either through an installed package
# (MODE=find_package) or through add_subdirectory of the source tree, then runs it.
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "logic_only")
  # Only the JsonLogic core: the "logic" component, then a consumer linking knead::logic alone.
  run(${CMAKE_COMMAND} --install "${KNEAD_BINARY_DIR}" --prefix "${WORK_DIR}/prefix" --component logic)
  if(EXISTS "${WORK_DIR}/prefix/include/knead/rule_set.hpp")
    message(FATAL_ERROR "the logic component installed the engine's headers")
  endif()
  run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}/../logic_consumer" -B "${WORK_DIR}/build"
      -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
  run(${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j 2)
  run("${WORK_DIR}/build/consumer")
  message(STATUS "consumer output:\n${last_output}")
  return()
endif()
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} --install "${KNEAD_BINARY_DIR}" --prefix "${WORK_DIR}/prefix")
  run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/build"
      -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DKNEAD_CONSUMER_MODE=find_package)
else()
  run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/build"
      -DKNEAD_CONSUMER_MODE=add_subdirectory -DKNEAD_SOURCE_DIR=${KNEAD_SOURCE_DIR})
endif()
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j 2)
if(MODE STREQUAL "find_package")
  set(rules "${WORK_DIR}/prefix/share/knead/rules")
else()
  set(rules "${KNEAD_SOURCE_DIR}/rules")
endif()
run("${WORK_DIR}/build/consumer" "${rules}")
message(STATUS "consumer output:\n${last_output}")
