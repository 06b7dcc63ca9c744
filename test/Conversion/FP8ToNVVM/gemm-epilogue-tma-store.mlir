// The TMA-store epilogue of the persistent sm_90a GEMM
// (gemm-epilogue=tma-store): each consumer writes its 64 rows of the
// 128x128 bf16 tile into its own 16 KiB buffer after the ring (3 stages
// of 32 KiB: at 98304 bytes past the aligned start), as two 128-byte
// boxes of 64 rows with the 128-byte swizzle, and its thread 0 stores
// them with cp.async.bulk.tensor through D's descriptor (the parameter
// after D), waiting for the previous store to have read the buffer first
// and for all stores once, after the consumer's last tile.
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-stages=3 gemm-persistent=on gemm-epilogue=tma-store gemm-cluster=1x1" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-stages=3 gemm-persistent=on gemm-schedule=pingpong gemm-epilogue=tma-store gemm-cluster=1x1" --canonicalize --cse | FileCheck %s --check-prefix=PINGPONG

// D's rows of 1540 bf16 are not whole 16 bytes (TMA's global stride): the
// kernel keeps the direct epilogue. (Its kernel comes first.)
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1540x512_tile128x256x128_s3_ws_persistent(
// CHECK-NOT:     cp.async.bulk.tensor.global.shared.cta
// CHECK:         gpu.return

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s3_ws_persistent_tmastore(
// CHECK-SAME:      %{{.*}}: memref<3932160xbf16>, %[[DMAP:.*]]: !llvm.ptr)
// The ring's barriers and their counts are those of the direct epilogue,
// after the two buffers (98304 + 2 * 16384).
// CHECK:         %[[PAD:.*]] = arith.remui %{{[0-9]+}}, %c1024 : index
// CHECK-NEXT:    %[[BUFFERS:.*]] = arith.addi %[[PAD]], %c98304 : index
// CHECK-NEXT:    arith.addi %[[PAD]], %c131072 : index
// CHECK-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c1_i32
// CHECK-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c2_i32
// CHECK:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// CHECK:         nvvm.setmaxregister  increase 232
// CHECK:         scf.for
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:             nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT:      }
// CHECK-NEXT:      %[[W32:.*]] = arith.index_cast %[[W:.*]] : index to i32
// CHECK-NEXT:      %[[BAR:.*]] = arith.addi %[[W32]], %c3_i32 : i32
// CHECK-NEXT:      nvvm.barrier id = %[[BAR]] number_of_threads = %c128_i32
// CHECK-NEXT:      %[[MINE:.*]] = arith.muli %[[W]], %c16384 : index
// CHECK-NEXT:      %[[AT:.*]] = arith.addi %[[BUFFERS]], %[[MINE]] : index
// CHECK-NEXT:      %[[BUF:.*]] = memref.view %{{.*}}[%[[AT]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<8192xbf16, #gpu.address_space<workgroup>>
// A pair at (row r, column c) of the consumer's rows: box c / 64 (4096
// elements each), row r (64 elements), 16-byte chunk (c % 64) / 8 XOR r % 8.
// CHECK:           %[[BOX:.*]] = arith.divui %[[COL:.*]], %c64 : index
// CHECK-NEXT:      %[[INBOX:.*]] = arith.remui %[[COL]], %c64 : index
// CHECK-NEXT:      %[[CHUNK:.*]] = arith.divui %[[INBOX]], %c8 : index
// CHECK-NEXT:      %[[ROW8:.*]] = arith.remui %[[ROW:.*]], %c8 : index
// CHECK-NEXT:      %[[SWZ:.*]] = arith.xori %[[CHUNK]], %[[ROW8]] : index
// CHECK-NEXT:      %[[BOXBASE:.*]] = arith.muli %[[BOX]], %c4096 : index
// CHECK-NEXT:      %[[ROWBASE:.*]] = arith.muli %[[ROW]], %c64 : index
// CHECK:           vector.store %{{.*}}, %[[BUF]][%{{.*}}] {alignment = 4 : i64} : memref<8192xbf16, #gpu.address_space<workgroup>>, vector<2xbf16>
// CHECK-NOT:       vector.store %{{.*}}, %arg4
// CHECK:           nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT:      nvvm.barrier id = %[[BAR]] number_of_threads = %c128_i32
// CHECK-NEXT:      scf.if
// CHECK:             nvvm.cp.async.bulk.tensor.global.shared.cta %[[DMAP]], %{{.*}}, box[%{{.*}}, %[[DROW:.*]]] : !llvm.ptr, <3>
// CHECK:             arith.addi %{{.*}}, %c8192 : index
// CHECK:             nvvm.cp.async.bulk.tensor.global.shared.cta %[[DMAP]], %{{.*}}, box[%{{.*}}, %[[DROW]]] : !llvm.ptr, <3>
// CHECK-NEXT:        nvvm.cp.async.bulk.commit.group
// CHECK-NEXT:      }
// CHECK:           scf.yield
// CHECK-NEXT:    }
// CHECK:         scf.if
// CHECK-NEXT:      nvvm.cp.async.bulk.wait_group 0{{$}}
// CHECK:         gpu.return
// The host encodes D's descriptor over the output buffer: bf16 boxes of
// 64 rows x 64 columns.
// CHECK:       %[[D:.*]] = gpu.alloc  host_shared () : memref<3932160xbf16>
// CHECK-NEXT:  %[[D2:.*]] = memref.expand_shape %[[D]] {{\[\[}}0, 1]] output_shape [2560, 1536] : memref<3932160xbf16> into memref<2560x1536xbf16>
// CHECK-NEXT:  %[[DU:.*]] = memref.cast %[[D2]] : memref<2560x1536xbf16> to memref<*xbf16>
// CHECK-NEXT:  nvgpu.tma.create.descriptor %[[DU]] box[%c64, %c64] : memref<*xbf16> -> <tensor = memref<64x64xbf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b
// CHECK:       gpu.launch_func

// Ping-pong: each consumer's buffer holds its whole 128x128 tile (32 KiB),
// stored as two boxes of 128 rows from the tile's first row.
// PINGPONG-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s3_ws_persistent_pingpong_tmastore(
// PINGPONG:        arith.muli %{{.*}}, %c32768 : index
// PINGPONG:        memref<16384xbf16, #gpu.address_space<workgroup>>
// PINGPONG:        arith.muli %{{.*}}, %c8192 : index
// PINGPONG:        nvvm.cp.async.bulk.tensor.global.shared.cta
// PINGPONG:        arith.addi %{{.*}}, %c16384 : index
// PINGPONG:        nvvm.cp.async.bulk.tensor.global.shared.cta
// PINGPONG-NEXT:   nvvm.cp.async.bulk.commit.group
// PINGPONG:        nvgpu.tma.create.descriptor %{{.*}} box[%c128, %c64] : memref<*xbf16>
func.func @persistent(%a: tensor<2560x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<1536x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2560x1536xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2560x512xf8E4M3FN>, tensor<f32>, tensor<1536x512xf8E4M3FN>, tensor<f32>
        -> tensor<2560x1536xbf16>
  return %d : tensor<2560x1536xbf16>
}

func.func @unaligned_rows(%a: tensor<2560x512xf8E4M3FN>, %sa: tensor<f32>,
                          %b: tensor<1540x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2560x1540xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2560x512xf8E4M3FN>, tensor<f32>, tensor<1540x512xf8E4M3FN>, tensor<f32>
        -> tensor<2560x1540xbf16>
  return %d : tensor<2560x1540xbf16>
}
