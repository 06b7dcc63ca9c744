// gemm-epilogue-prefetch=on: each consumer thread loads its row scales of
// A (and the output scale) while its last wgmma's still run, before
// wgmma.wait_group 0, instead of after the epilogue's staging barrier
// (named barrier 1), where their latency is paid once per tile. Column
// scales stay next to their use (registers). Off by default until
// measured.
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1 gemm-epilogue-prefetch=on" --canonicalize --cse | FileCheck %s --check-prefix=ON
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1" --canonicalize --cse | FileCheck %s --check-prefix=OFF

// ON-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f8E4M3FN_rowwise_rowwise_512x768x512_tile128x128x128_s3_ws_epf(
// ON-SAME:      %{{.*}}: !llvm.ptr, %[[SA:.*]]: memref<512xf32>, %{{.*}}: !llvm.ptr, %[[SB:.*]]: memref<768xf32>, %[[OS:.*]]: memref<1xf32>
// ON:         nvvm.setmaxregister increase 232
// The thread's two fragment rows (r and r + 8 of its m64 block), then the
// output scale.
// ON:         memref.load %[[SA]]
// ON-NEXT:    arith.addi
// ON-NEXT:    memref.load %[[SA]]
// ON-NEXT:    memref.load %[[OS]]
// ON-NEXT:    nvvm.wgmma.wait.group.sync.aligned 0
// ON-NEXT:    nvvm.fence.proxy
// ON-NEXT:    nvvm.barrier id = %c1_i32
// ON-NOT:     memref.load %[[SA]]
// ON-NOT:     memref.load %[[OS]]
// ON:         memref.load %[[SB]]
// ON:         gpu.return

// OFF-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f8E4M3FN_rowwise_rowwise_512x768x512_tile128x128x128_s3_ws(
// OFF-SAME:      %{{.*}}: !llvm.ptr, %[[SA:.*]]: memref<512xf32>, %{{.*}}: !llvm.ptr, %[[SB:.*]]: memref<768xf32>, %[[OS:.*]]: memref<1xf32>
// OFF:         nvvm.wgmma.wait.group.sync.aligned 0
// OFF-NEXT:    nvvm.fence.proxy
// OFF-NEXT:    nvvm.barrier id = %c1_i32
// OFF:         memref.load %[[SA]]
// OFF:         memref.load %[[SA]]
// OFF:         memref.load %[[OS]]
func.func @rowwise(%a: tensor<512x512xf8E4M3FN>, %sa: tensor<512x1xf32>,
                   %b: tensor<768x512xf8E4M3FN>, %sb: tensor<768x1xf32>,
                   %os: tensor<f32>) -> tensor<512x768xf8E4M3FN> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<512x512xf8E4M3FN>, tensor<512x1xf32>, tensor<768x512xf8E4M3FN>, tensor<768x1xf32>
        -> tensor<512x768xf8E4M3FN>
  return %d : tensor<512x768xf8E4M3FN>
}
