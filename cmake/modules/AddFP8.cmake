# Helpers that wrap MLIR's add_mlir_*_library so every fp8-mlir library is
# recorded in one global property (FP8_ALL_LIBS) for packaging and for tools
# that want to link "everything of ours".

include_guard()

# Record a library of ours: FP8_ALL_LIBS lists them, their headers are found
# from the build tree and the install tree alike, and `cmake --install` puts
# them in the FP8MLIRTargets export set (FP8MLIR::<name> downstream).
function(fp8_record_library name)
  set_property(GLOBAL APPEND PROPERTY FP8_ALL_LIBS ${name})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${FP8_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${FP8_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  install(TARGETS ${name}
    EXPORT FP8MLIRTargets
    LIBRARY DESTINATION lib
    ARCHIVE DESTINATION lib
    RUNTIME DESTINATION bin)
endfunction()

# All library wrappers take, besides what add_mlir_library takes:
#   MLIR_LIBS lib...  upstream MLIR libraries; linked through libMLIR.so when
#                     MLIR_LINK_MLIR_DYLIB is on (plain LINK_LIBS would pull
#                     the static archives in as well).
# Our own libraries go in LINK_LIBS as usual.
macro(_fp8_split_mlir_libs)
  cmake_parse_arguments(_FP8 "" "" "MLIR_LIBS" ${ARGN})
  set(_fp8_rest ${_FP8_UNPARSED_ARGUMENTS})
endmacro()

# add_fp8_dialect_library(name sources... [DEPENDS ...] [MLIR_LIBS ...])
function(add_fp8_dialect_library name)
  _fp8_split_mlir_libs(${ARGN})
  add_mlir_dialect_library(${name} EXCLUDE_FROM_LIBMLIR DISABLE_INSTALL
    ${_fp8_rest})
  mlir_target_link_libraries(${name} PUBLIC ${_FP8_MLIR_LIBS})
  fp8_record_library(${name})
endfunction()

# add_fp8_library(name ...): a transforms or utility library of ours.
function(add_fp8_library name)
  _fp8_split_mlir_libs(${ARGN})
  add_mlir_library(${name} EXCLUDE_FROM_LIBMLIR DISABLE_INSTALL ${_fp8_rest})
  mlir_target_link_libraries(${name} PUBLIC ${_FP8_MLIR_LIBS})
  fp8_record_library(${name})
endfunction()

# add_fp8_conversion_library(name ...): a conversion library of ours.
function(add_fp8_conversion_library name)
  _fp8_split_mlir_libs(${ARGN})
  add_mlir_conversion_library(${name} EXCLUDE_FROM_LIBMLIR DISABLE_INSTALL
    ${_fp8_rest})
  mlir_target_link_libraries(${name} PUBLIC ${_FP8_MLIR_LIBS})
  fp8_record_library(${name})
endfunction()

# add_fp8_tool(name sources...): an executable in build/bin.
function(add_fp8_tool name)
  add_llvm_executable(${name} ${ARGN})
  llvm_update_compile_flags(${name})
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${FP8_TOOLS_DIR})
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

