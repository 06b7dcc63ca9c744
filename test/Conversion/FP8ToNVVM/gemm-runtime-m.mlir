// fp8.scaled_matmul with a runtime M (A [?, K], B static) on both chips: the
// kernel takes M as its last (index) argument, A's scales and D are
// placeholder-typed buffers of runtime length, the scale loads of rows
// past M clamp to row M - 1 and the epilogue stores only rows below M; no
// known_grid_size. The host: M = dim 0 of A, A's TMA descriptor encoded
// over A's real rows, D allocated for M * N elements, grid
// ceil(M / 128) x N tiles, no launch for M = 0, D reshaped to [M, N].
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s --check-prefix=SM100

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_dx384x512_tile128x128x128_s4(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %[[SA:[^:]*]]: memref<1099511627776xf32>, %{{.*}}: !llvm.ptr, %{{.*}}: memref<384xf32>, %[[D:[^:]*]]: memref<1099511627776xbf16>, %[[M:[^:]*]]: index) kernel
// CHECK-NOT:       known_grid_size
// CHECK:         %[[LAST:.*]] = arith.subi %[[M]], %c1 : index
// CHECK:         %[[ROW:.*]] = arith.minui %{{.*}}, %[[LAST]] : index
// CHECK:         memref.load %[[SA]][%[[ROW]]]
// CHECK:         %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %[[M]] : index
// CHECK-NEXT:    scf.if %[[IN]]
//
// CHECK-LABEL: func.func @gemm_rowwise(
// CHECK-SAME:      %[[A:[^:]*]]: tensor<?x512xf8E4M3FN>
// CHECK:         %[[DIM:.*]] = tensor.dim %[[A]], %c0 : tensor<?x512xf8E4M3FN>
// CHECK:         %[[ABUF:.*]] = bufferization.to_buffer %[[A]] read_only : tensor<?x512xf8E4M3FN> to memref<?x512xf8E4M3FN>
// CHECK:         nvgpu.tma.create.descriptor
// CHECK:         memref.cast %{{.*}} : memref<?xf32> to memref<1099511627776xf32>
// CHECK:         %[[LEN:.*]] = arith.muli %[[DIM]], %c384 : index
// CHECK:         %[[ALLOC:.*]] = gpu.alloc  host_shared (%[[LEN]]) : memref<?xbf16>
// CHECK:         %[[GRID:.*]] = arith.ceildivui %[[DIM]], %c128 : index
// CHECK:         %[[ANY:.*]] = arith.cmpi ne, %[[DIM]], %c0 : index
// CHECK:         scf.if %[[ANY]]
// CHECK:           gpu.launch_func @{{.*}} blocks in (%[[GRID]], %c3, %c1) threads in (%c128, %c1, %c1) {{.*}}, %[[DIM]] : index)
// CHECK:         tensor.expand_shape %{{.*}} output_shape [%[[DIM]], 384] : tensor<?xbf16> into tensor<?x384xbf16>

// SM100-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_dx384x512_tile128x128x128_s4(
// SM100-SAME:      %{{.*}}: !llvm.ptr, %[[SA:[^:]*]]: memref<1099511627776xf32>, %{{.*}}: !llvm.ptr, %{{.*}}: memref<384xf32>, %[[D:[^:]*]]: memref<1099511627776xbf16>, %[[M:[^:]*]]: index) kernel
// SM100-NOT:       known_grid_size
// SM100:         %[[LAST:.*]] = arith.subi %[[M]], %c1 : index
// SM100:         %[[ROW:.*]] = arith.minui %{{.*}}, %[[LAST]] : index
// SM100:         %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %[[M]] : index
// SM100-LABEL: func.func @gemm_rowwise(
// SM100:         %[[DIM:.*]] = tensor.dim %{{.*}}, %c0 : tensor<?x512xf8E4M3FN>
// SM100:         %[[GRID:.*]] = arith.ceildivui %[[DIM]], %c128 : index
// SM100:         gpu.launch_func @{{.*}} blocks in (%[[GRID]], %c3, %c1) threads in (%c128, %c1, %c1) {{.*}}, %[[DIM]] : index)

func.func @gemm_rowwise(%a: tensor<?x512xf8E4M3FN>, %sa: tensor<?x1xf32>,
                        %b: tensor<384x512xf8E4M3FN>, %sb: tensor<384x1xf32>) -> tensor<?x384xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<?x512xf8E4M3FN>, tensor<?x1xf32>, tensor<384x512xf8E4M3FN>, tensor<384x1xf32> -> tensor<?x384xbf16>
  return %d : tensor<?x384xbf16>
}
