// The runtime-row kernels through the whole pipeline for both chips: ptxas
// accepts every one without spills, and the manifest says how to launch
// them (grid and buffer sizes as formulas of the rows, the rows parameter,
// and where the rows come from).
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t/sm90
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a" | %extract-ptx -o %t/sm100
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/sm90/manifest.json
// RUN: for f in %t/sm90/*.ptx; do %ptxas -arch=sm_90a -v $f -o %t/k.cubin 2>&1; done | FileCheck %s --check-prefix=PTXAS
// RUN: for f in %t/sm100/*.ptx; do %ptxas -arch=sm_100a -v $f -o %t/k.cubin 2>&1; done | FileCheck %s --check-prefix=PTXAS100

// Eight kernels, each compiled without spills.
// PTXAS-COUNT-8: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NOT: spill
// PTXAS100-COUNT-8: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS100-NOT: spill

// The MXFP8 quantize: E8M0 scales, 8 a row; the rows are dim 0 of `input`.
// MANIFEST:      "name": "fp8_quantize_f32_f8E4M3FN_block1x32_dx256_f8E8M0FNU",
// MANIFEST:      "dtype": "float8_e8m0fnu",
// MANIFEST-NEXT: "kind": "buffer",
// MANIFEST-NEXT: "name": "scale",
// MANIFEST-NEXT: "shape": [
// MANIFEST-NEXT:   {
// MANIFEST-NEXT:     "rows_ceil_div": 1,
// MANIFEST-NEXT:     "rows_mul": 8
// MANIFEST-NEXT:   }
// MANIFEST-NEXT: ],
// MANIFEST:      "dtype": "int64",
// MANIFEST-NEXT: "kind": "rows",
// MANIFEST-NEXT: "name": "rows"
// MANIFEST:      "rows": {
// MANIFEST-NEXT:   "dims": [
// MANIFEST-NEXT:     0
// MANIFEST-NEXT:   ],
// MANIFEST-NEXT:   "operand": 0,
// MANIFEST-NEXT:   "param": "input",
// MANIFEST-NEXT:   "row_length": 256
// MANIFEST-NEXT: }
// The rowwise amax of [?, ?, 512]: both leading dims fold into the rows.
// MANIFEST:      "name": "fp8_amax_bf16_rowwise_dxdx512",
// MANIFEST:      "rows": {
// MANIFEST-NEXT:   "dims": [
// MANIFEST-NEXT:     0,
// MANIFEST-NEXT:     1
// MANIFEST-NEXT:   ],
// The tensor amax: about 4 chunks a thread, at most 264 CTAs; its one f32
// result is zeroed by the host.
// MANIFEST:          "max": 264,
// MANIFEST-NEXT:     "rows_ceil_div": 1024,
// MANIFEST-NEXT:     "rows_mul": 64
// MANIFEST-NEXT:   },
// MANIFEST-NEXT:   1,
// MANIFEST-NEXT:   1
// MANIFEST-NEXT: ],
// MANIFEST:      "name": "fp8_amax_f32_tensor_dx256",
// MANIFEST:      "name": "amax",
// MANIFEST-NEXT: "shape": [
// MANIFEST-NEXT:   1
// MANIFEST-NEXT: ],
// MANIFEST-NEXT: "zero_init": true

func.func @activations(%x: tensor<?x256xf32>, %h: tensor<?x?x512xbf16>,
                       %s: tensor<f32>) -> (tensor<?x256xf8E4M3FN>,
    tensor<?x256xf8E4M3FN>, tensor<?x?x512xf8E4M3FN>, tensor<?x256xf32>,
    tensor<f32>) {
  %a8 = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<?x256xf32> -> tensor<?x8xf32>
  %e8 = fp8.scale_from_amax %a8 {format = f8E4M3FN} : tensor<?x8xf32> -> tensor<?x8xf8E8M0FNU>
  %mx = fp8.quantize %x, %e8 {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<?x256xf32>, tensor<?x8xf8E8M0FNU> -> tensor<?x256xf8E4M3FN>
  %ab = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<?x256xf32> -> tensor<?x2xf32>
  %sb = fp8.scale_from_amax %ab {format = f8E4M3FN} : tensor<?x2xf32> -> tensor<?x2xf32>
  %qb = fp8.quantize %x, %sb {scaling = #fp8.scaling<block [1, 128]>}
      : tensor<?x256xf32>, tensor<?x2xf32> -> tensor<?x256xf8E4M3FN>
  %ar = fp8.amax %h {scaling = #fp8.scaling<rowwise>} : tensor<?x?x512xbf16> -> tensor<?x?x1xf32>
  %sr = fp8.scale_from_amax %ar {format = f8E4M3FN} : tensor<?x?x1xf32> -> tensor<?x?x1xf32>
  %qr = fp8.quantize %h, %sr {scaling = #fp8.scaling<rowwise>}
      : tensor<?x?x512xbf16>, tensor<?x?x1xf32> -> tensor<?x?x512xf8E4M3FN>
  %dq = fp8.dequantize %qb, %sb {scaling = #fp8.scaling<block [1, 128]>}
      : tensor<?x256xf8E4M3FN>, tensor<?x2xf32> -> tensor<?x256xf32>
  %at = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<?x256xf32> -> tensor<f32>
  return %mx, %qb, %qr, %dq, %at : tensor<?x256xf8E4M3FN>, tensor<?x256xf8E4M3FN>,
      tensor<?x?x512xf8E4M3FN>, tensor<?x256xf32>, tensor<f32>
}
