// %extract-ptx (python -m fp8_mlir.ptx) writes the PTX of every kernel and the manifest a
// runtime needs to launch them.
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t | FileCheck %s --check-prefix=FILES
// RUN: FileCheck %s < %t/manifest.json

// FILES-DAG: fp8_amax_f32_tensor_128x256.ptx
// FILES-DAG: fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_128x64x256_tile128x64x128_s2.ptx
// FILES: manifest.json

// CHECK:      "chip": "sm_90a",
// CHECK:      "kernels": [
// CHECK:          "block": [
// CHECK-NEXT:       256,
// CHECK-NEXT:       1,
// CHECK-NEXT:       1
// CHECK:          "file": "fp8_amax_f32_tensor_128x256.ptx",
// CHECK:          "grid": [
// CHECK-NEXT:       8,
// CHECK:          "op": "fp8.amax",
// CHECK:          "params": [
// CHECK:              "dtype": "float32",
// CHECK-NEXT:         "kind": "buffer",
// CHECK-NEXT:         "name": "input",
// CHECK-NEXT:         "shape": [
// CHECK-NEXT:           32768
// CHECK:              "access": "write",
// CHECK:              "name": "amax",
// CHECK:              "zero_init": true

// The GEMM: 128 threads, 2 stages of (128 + 64) x 128 bytes, 1 KiB of alignment, 4 mbarriers.
// CHECK:          "block": [
// CHECK-NEXT:       128,
// CHECK:          "dynamic_shared_memory": 50208,
// CHECK:          "file": "fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_128x64x256_tile128x64x128_s2.ptx",
// CHECK:          "params": [
// CHECK:              "box_dim": [
// CHECK-NEXT:           128,
// CHECK-NEXT:           128
// CHECK:              "data_type": "CU_TENSOR_MAP_DATA_TYPE_UINT8",
// CHECK:              "element_type": "float8_e4m3fn",
// CHECK:              "global_dim": [
// CHECK-NEXT:           256,
// CHECK-NEXT:           128
// CHECK:              "global_strides_bytes": [
// CHECK-NEXT:           256
// CHECK:              "kind": "tensor_map",
// CHECK:              "name": "a",
// CHECK:              "swizzle": "CU_TENSOR_MAP_SWIZZLE_128B"
// CHECK:              "name": "a_scale",
// CHECK:              "box_dim": [
// CHECK-NEXT:           128,
// CHECK-NEXT:           64
// CHECK:              "name": "b",
// CHECK:              "name": "b_scale",
// CHECK:              "dtype": "bfloat16",
// CHECK:              "name": "d",
// CHECK-NEXT:         "shape": [
// CHECK-NEXT:           8192
// CHECK:      "version": 1

func.func @amax(%x: tensor<128x256xf32>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<128x256xf32> -> tensor<f32>
  return %a : tensor<f32>
}

func.func @gemm(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<f32>,
                %b: tensor<64x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}
