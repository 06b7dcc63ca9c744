// 2-CTA clusters of the warp-specialized sm_90a GEMM. In a 1x2 cluster the
// two CTAs compute column tiles n and n + 1 of the same rows and share A's
// tile: each producer loads its own B tile and the half of A's tile at rows
// rank * 64, multicast to both CTAs (mask 0b11), and announces the bytes of
// whole tiles on its full barrier (the peer's half lands there too). Every
// empty barrier waits for the 2 consumers of both CTAs; each consumer
// arrives on its own and its peer's (mapa of rank ^ 1). The CTAs meet at
// a cluster barrier after the mbarrier init and before exiting.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x256 gemm-stages=2" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu --canonicalize --cse | FileCheck %s --check-prefix=HEURISTIC

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_384x512x512_tile128x256x128_s2_ws_c1x2(
// CHECK-SAME:      %[[AMAP:[^:]*]]: !llvm.ptr, %{{.*}}: memref<1xf32>, %[[BMAP:[^:]*]]: !llvm.ptr,
// CHECK-SAME:      known_block_size = array<i32: 384, 1, 1>, known_grid_size = array<i32: 3, 2, 1>
// CHECK:         %[[TILEROW:.*]] = arith.muli %{{.*}}, %c128 : index
// CHECK:         %[[TILECOL:.*]] = arith.muli %{{.*}}, %c256 : index
// The launch must give the cluster (a launch attribute): else trap.
// CHECK-NEXT:    %[[NCTA:.*]] = nvvm.read.ptx.sreg.cluster.nctarank : i32
// CHECK-NEXT:    %[[WRONG:.*]] = arith.cmpi ne, %[[NCTA]], %c2_i32
// CHECK-NEXT:    scf.if %[[WRONG]] {
// CHECK-NEXT:      llvm.intr.trap
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[RANK32:.*]] = nvvm.read.ptx.sreg.cluster.ctarank : i32
// CHECK-NEXT:    %[[RANK:.*]] = arith.index_cast %[[RANK32]] : i32 to index
// A's TMA box is half of its 128-row tile.
// CHECK:         builtin.unrealized_conversion_cast %[[AMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<64x128xf8E4M3FN
// CHECK:         builtin.unrealized_conversion_cast %[[BMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<256x128xf8E4M3FN
// CHECK:         scf.if
// CHECK-COUNT-2:   nvvm.mbarrier.init %{{.*}}, %c1_i32 : !llvm.ptr<3>, i32
// CHECK-COUNT-2:   nvvm.mbarrier.init %{{.*}}, %c4_i32 : !llvm.ptr<3>, i32
// CHECK-NEXT:      nvvm.fence.mbarrier.init
// CHECK:         }
// CHECK-NEXT:    nvvm.cluster.arrive
// CHECK-NEXT:    nvvm.cluster.wait
// CHECK-NOT:     gpu.barrier
// The producer.
// CHECK:         nvvm.setmaxregister decrease 40
// CHECK:           nvvm.mbarrier.try_wait.parity
// CHECK:           %[[FULL:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK-NEXT:      nvvm.mbarrier.arrive.expect_tx %[[FULL]], %c49152_i32
// CHECK:           %[[SHAREROWS:.*]] = arith.muli %[[RANK]], %c64
// CHECK-NEXT:      %[[AROW:.*]] = arith.addi %[[TILEROW]], %[[SHAREROWS]]
// CHECK-NEXT:      %[[SHAREBYTES:.*]] = arith.muli %[[RANK]], %c8192
// CHECK:           %[[AROW32:.*]] = arith.index_cast %[[AROW]] : index to i32
// CHECK-NEXT:      nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %[[FULL]], box[%{{.*}}, %[[AROW32]]] multicast_mask = %c3_i16 : !llvm.ptr<7>, !llvm.ptr
// CHECK:           %[[BCOL32:.*]] = arith.index_cast %[[TILECOL]] : index to i32
// CHECK-NEXT:      nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %[[FULL]], box[%{{.*}}, %[[BCOL32]]] : !llvm.ptr<7>, !llvm.ptr
// The consumers release a stage in both CTAs.
// CHECK:         nvvm.setmaxregister increase 232
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 1
// CHECK:           scf.if
// CHECK:             %[[EMPTY:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK-NEXT:        nvvm.mbarrier.arrive %[[EMPTY]] : !llvm.ptr<3>
// CHECK-NEXT:        %[[PEERRANK:.*]] = arith.xori %[[RANK32]], %c1_i32
// CHECK-NEXT:        %[[PEER:.*]] = nvvm.mapa %[[EMPTY]], %[[PEERRANK]] : !llvm.ptr<3> -> !llvm.ptr<7>
// CHECK-NEXT:        nvvm.mbarrier.arrive %[[PEER]] : !llvm.ptr<7>
// CHECK-NEXT:      }
// CHECK:         nvvm.cluster.arrive
// CHECK-NEXT:    nvvm.cluster.wait
// CHECK-NEXT:    gpu.return

// The launch names the cluster.
// CHECK-LABEL: func.func @a_shared(
// CHECK:         gpu.launch_func @{{.*}}_ws_c1x2::@{{.*}} clusters in (%c1, %c2, %c1) blocks in (%c3, %c2, %c1) threads in (%c384, %c1, %c1)

// The heuristic: too small to fill the GPU, so one warpgroup and no cluster.
// HEURISTIC-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_384x512x512_tile128x64x128_s4(
// HEURISTIC-NOT:   nvvm.read.ptx.sreg.cluster
// HEURISTIC-LABEL: func.func @a_shared(
// HEURISTIC:         gpu.launch_func @{{[^ ]*}} blocks in (%c3, %c8, %c1)
func.func @a_shared(%a: tensor<384x512xf8E4M3FN>, %sa: tensor<f32>,
                    %b: tensor<512x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<384x512xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<384x512xf8E4M3FN>, tensor<f32>, tensor<512x512xf8E4M3FN>, tensor<f32>
        -> tensor<384x512xbf16>
  return %d : tensor<384x512xbf16>
}

// -----

// The heuristic's clusters, for warp-specialized kernels only (once 128x128
// tiles fill the 132 SMs): 2x1 with an even number of row tiles (4096^3:
// 32 x 16 tiles of 128x256), else 1x2 with an even number of column tiles
// (1920 x 4096: 15 x 16), else none (1920 x 2176: 15 x 9).

// HEURISTIC-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1(
// HEURISTIC-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1920x4096x4096_tile128x256x128_s4_ws_c1x2(
// HEURISTIC-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1920x2176x4096_tile128x256x128_s4_ws(
// HEURISTIC-DAG: clusters in (%c2, %c1, %c1) blocks in (%c32, %c16, %c1)
// HEURISTIC-DAG: clusters in (%c1, %c2, %c1) blocks in (%c15, %c16, %c1)
// HEURISTIC-DAG: gpu.launch_func @{{.*}}_1920x2176x4096_tile128x256x128_s4_ws::@{{.*}} blocks in (%c15, %c9, %c1)
func.func @heuristic(%a: tensor<4096x4096xf8E4M3FN>, %a2: tensor<1920x4096xf8E4M3FN>,
                     %b: tensor<4096x4096xf8E4M3FN>, %b3: tensor<2176x4096xf8E4M3FN>,
                     %s: tensor<f32>)
    -> (tensor<4096x4096xbf16>, tensor<1920x4096xbf16>, tensor<1920x2176xbf16>) {
  %d = fp8.scaled_matmul %a, %s, %b, %s
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<f32>, tensor<4096x4096xf8E4M3FN>, tensor<f32>
        -> tensor<4096x4096xbf16>
  %d2 = fp8.scaled_matmul %a2, %s, %b, %s
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<1920x4096xf8E4M3FN>, tensor<f32>, tensor<4096x4096xf8E4M3FN>, tensor<f32>
        -> tensor<1920x4096xbf16>
  %d3 = fp8.scaled_matmul %a2, %s, %b3, %s
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<1920x4096xf8E4M3FN>, tensor<f32>, tensor<2176x4096xf8E4M3FN>, tensor<f32>
        -> tensor<1920x2176xbf16>
  return %d, %d2, %d3 : tensor<4096x4096xbf16>, tensor<1920x4096xbf16>, tensor<1920x2176xbf16>
}
