// The wide direct epilogue of the persistent sm_90a GEMM
// (gemm-epilogue=direct-wide): the 4 lanes of a fragment row exchange
// their converted pairs in butterfly rounds of shuffles (lanes q and q ^ 1
// over two 8-column blocks, then q and q ^ 2 over four), after which each
// lane stores one piece of consecutive elements: 8 bf16/f16 (16 bytes), 8
// FP8 (8 bytes), so a warp's store covers whole 32-byte sectors. Fewer
// rounds where N does not divide into the pieces: N = 2052 bf16 takes one
// round (4 elements), N = 2050 none (pairs, and no `_widestore` in the
// name); f32 pairs already fill sectors and stay pairs.
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-persistent=on gemm-epilogue=direct-wide gemm-cluster=1x1" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-persistent=on gemm-schedule=pingpong gemm-epilogue=direct-wide gemm-cluster=1x1" --canonicalize --cse | FileCheck %s --check-prefix=PINGPONG
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-persistent=on gemm-cluster=1x1" --canonicalize --cse | FileCheck %s --check-prefix=DIRECT

// Kernels come out in reverse order. N = 2050: pairs as `direct`.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1024x2050x256_tile128x128x128_s2_ws_persistent(
// CHECK-NOT:     gpu.shuffle
// CHECK:         vector.store %{{.*}} {alignment = 4 : i64} : memref<2099200xbf16>, vector<2xbf16>
// CHECK-NOT:     gpu.shuffle
// CHECK:         gpu.return

// N = 2052: one round (lanes q and q ^ 1), 4 bf16 a lane at column
// 8 * (q % 2) + 4 * (q / 2) of each pair of blocks, stored inside N only.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1024x2052x256_tile128x128x128_s2_ws_persistent_widestore(
// CHECK:         nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:         %[[Q:.*]] = arith.remui %{{.*}}, %c4 : index
// CHECK-NEXT:    %[[QG:.*]] = arith.remui %[[Q]], %c2 : index
// CHECK-NEXT:    %[[BLOCK:.*]] = arith.muli %[[QG]], %c8 : index
// CHECK-NEXT:    %[[HALF:.*]] = arith.divui %[[Q]], %c2 : index
// CHECK-NEXT:    %[[OFF:.*]] = arith.muli %[[HALF]], %c4 : index
// CHECK-NEXT:    %[[PC:.*]] = arith.addi %[[BLOCK]], %[[OFF]] : index
// CHECK-NEXT:    %[[PIECECOL:.*]] = arith.addi %{{.*}}, %[[PC]] : index
// CHECK-NOT:     gpu.shuffle xor %{{.*}}, %c2_i32
// CHECK:         gpu.shuffle  xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK-NOT:     gpu.shuffle xor %{{.*}}, %c2_i32
// CHECK:         %[[INN:.*]] = arith.cmpi ult, %[[PIECECOL]], %c2052 : index
// CHECK-NEXT:    scf.if %[[INN]] {
// CHECK:           vector.store %{{.*}} {alignment = 8 : i64} : memref<2101248xbf16>, vector<4xbf16>
// CHECK-NOT:     gpu.shuffle xor %{{.*}}, %c2_i32
// CHECK:         gpu.return

// FP8 D with out_scale and amax: two rounds, the 2-byte pairs widened to
// a 32-bit word for the first, 8 bytes a lane.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2064x1040_tile128x128x128_s6_ws_persistent_widestore_splitacc_amax(
// CHECK:         vector.bitcast %{{.*}} : vector<2xf8E4M3FN> to vector<1xi16>
// CHECK-NEXT:    vector.extract %{{.*}}[0] : i16 from vector<1xi16>
// CHECK-NEXT:    %[[WIDE:.*]] = arith.extui %{{.*}} : i16 to i32
// CHECK-NEXT:    %[[MOVED:.*]], %{{.*}} = gpu.shuffle  xor %[[WIDE]], %c1_i32, %c32_i32 : i32
// CHECK-NEXT:    arith.trunci %[[MOVED]] : i32 to i16
// CHECK:         gpu.shuffle  xor %{{.*}}, %c2_i32, %c32_i32 : i32
// CHECK:         vector.store %{{.*}} {alignment = 8 : i64} : memref<2064000xf8E4M3FN>, vector<8xf8E4M3FN>
// CHECK:         gpu.return

// f16 D, ragged M (1000) and N (2104), f32 bias and amax: 8 f16 (16
// bytes) a lane. A pair's magnitude counts in amax only where the pair is
// inside D (its row and its own column); every lane shuffles, and the
// piece is stored where its row and first column are.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f16_rowwise_rowwise_1000x2104x384_tile128x128x128_s3_ws_persistent_widestore_biasf32_amax(
// CHECK:         nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:         %[[Q:.*]] = arith.remui %{{.*}}, %c4 : index
// CHECK-NEXT:    %[[QG:.*]] = arith.remui %[[Q]], %c4 : index
// CHECK-NEXT:    arith.muli %[[QG]], %c8 : index
// CHECK-NEXT:    %[[HALF:.*]] = arith.divui %[[Q]], %c4 : index
// CHECK-NEXT:    arith.muli %[[HALF]], %c8 : index
// CHECK-NEXT:    arith.addi
// CHECK-NEXT:    %[[PIECECOL:.*]] = arith.addi
// CHECK:         %[[ROWIN:.*]] = arith.cmpi ult, %[[ROW:.*]], %c1000 : index
// CHECK:         %[[OWNIN:.*]] = arith.cmpi ult, %[[OWNCOL:.*]], %c2104 : index
// CHECK-NEXT:    %[[PAIRIN:.*]] = arith.andi %[[ROWIN]], %[[OWNIN]] : i1
// CHECK:         %[[BITS:.*]] = arith.maxui
// CHECK-NEXT:    %[[AMAX:.*]] = arith.select %[[PAIRIN]], %[[BITS]], %c0_i32 : i32
// CHECK:         %[[UP:.*]] = arith.cmpi ne, %{{.*}}, %c0 : index
// CHECK-NEXT:    %[[SENT:.*]] = arith.select %[[UP]], %[[LOW:.*]], %[[HIGH:.*]] : vector<2xf16>
// CHECK-NEXT:    %[[WORDS:.*]] = vector.bitcast %[[SENT]] : vector<2xf16> to vector<1xi32>
// CHECK-NEXT:    %[[W0:.*]] = vector.extract %[[WORDS]][0] : i32 from vector<1xi32>
// CHECK-NEXT:    %[[M0:.*]], %{{.*}} = gpu.shuffle  xor %[[W0]], %c1_i32, %c32_i32 : i32
// CHECK-NEXT:    %[[MW:.*]] = vector.broadcast %[[M0]] : i32 to vector<1xi32>
// CHECK-NEXT:    %[[RECV:.*]] = vector.bitcast %[[MW]] : vector<1xi32> to vector<2xf16>
// CHECK-NEXT:    %[[FIRST:.*]] = arith.select %[[UP]], %[[RECV]], %[[LOW]] : vector<2xf16>
// CHECK-NEXT:    %[[SECOND:.*]] = arith.select %[[UP]], %[[HIGH]], %[[RECV]] : vector<2xf16>
// CHECK-NEXT:    vector.shuffle %[[FIRST]], %[[SECOND]] [0, 1, 2, 3] : vector<2xf16>, vector<2xf16>
// CHECK:         %[[PIECE:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7] : vector<4xf16>, vector<4xf16>
// CHECK-NEXT:    %[[COLIN:.*]] = arith.cmpi ult, %[[PIECECOL]], %c2104 : index
// CHECK-NEXT:    %[[IN:.*]] = arith.andi %[[ROWIN]], %[[COLIN]] : i1
// CHECK-NEXT:    scf.if %[[IN]] {
// CHECK-NEXT:      %[[R:.*]] = arith.muli %[[ROW]], %c2104 : index
// CHECK-NEXT:      %[[AT:.*]] = arith.addi %[[R]], %[[PIECECOL]] : index
// CHECK-NEXT:      vector.store %[[PIECE]], %{{.*}}[%[[AT]]] {alignment = 16 : i64} : memref<2104000xf16>, vector<8xf16>
// CHECK-NEXT:    }
// CHECK:         gpu.return

// f32 D: pairs (8 bytes a lane, 32 a row) already fill sectors.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f32_tensor_tensor_1024x2048x256_tile128x128x128_s2_ws_persistent(
// CHECK-NOT:     vector<4xf32>
// CHECK:         vector.store %{{.*}} {alignment = 8 : i64} : memref<2097152xf32>, vector<2xf32>
// CHECK-NOT:     vector<4xf32>
// CHECK:         gpu.return

// bf16: two rounds (q ^ 1 over two blocks, q ^ 2 over four), 8 bf16 a
// lane at column 8 * q of each group of four blocks: 2 fragment rows x 4
// groups = 8 stores of 16 bytes a thread.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s4_ws_persistent_widestore(
// CHECK:         nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:         memref.load %{{.*}}[%c0] : memref<1xf32>
// CHECK-NEXT:    %[[Q:.*]] = arith.remui %{{.*}}, %c4 : index
// CHECK-NEXT:    %[[QG:.*]] = arith.remui %[[Q]], %c4 : index
// CHECK-NEXT:    arith.muli %[[QG]], %c8 : index
// CHECK-NOT:     vector.store
// CHECK:         %[[B0:.*]] = arith.andi %[[Q]], %c1 : index
// CHECK-NEXT:    %[[UP0:.*]] = arith.cmpi ne, %[[B0]], %c0 : index
// CHECK-NEXT:    arith.select %[[UP0]], %{{.*}}, %{{.*}} : vector<2xbf16>
// CHECK-NEXT:    vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK-NEXT:    vector.extract
// CHECK-NEXT:    gpu.shuffle  xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK:         vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3] : vector<2xbf16>, vector<2xbf16>
// CHECK:         gpu.shuffle  xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK:         vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3] : vector<2xbf16>, vector<2xbf16>
// CHECK-NEXT:    %[[B1:.*]] = arith.andi %[[Q]], %c2 : index
// CHECK-NEXT:    %[[UP1:.*]] = arith.cmpi ne, %[[B1]], %c0 : index
// CHECK-NEXT:    arith.select %[[UP1]], %{{.*}}, %{{.*}} : vector<4xbf16>
// CHECK-NEXT:    vector.bitcast %{{.*}} : vector<4xbf16> to vector<2xi32>
// CHECK-NEXT:    vector.extract
// CHECK-NEXT:    gpu.shuffle  xor %{{.*}}, %c2_i32, %c32_i32 : i32
// CHECK-NEXT:    vector.extract
// CHECK-NEXT:    gpu.shuffle  xor %{{.*}}, %c2_i32, %c32_i32 : i32
// CHECK:         %[[PIECE:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7] : vector<4xbf16>, vector<4xbf16>
// CHECK-NEXT:    arith.muli
// CHECK-NEXT:    arith.addi
// CHECK-NEXT:    vector.store %[[PIECE]], %{{.*}} {alignment = 16 : i64} : memref<3932160xbf16>, vector<8xbf16>
// CHECK-COUNT-7: vector.store %{{.*}} {alignment = 16 : i64} : memref<3932160xbf16>, vector<8xbf16>
// CHECK-NOT:     vector.store
// CHECK:         gpu.return

// Ping-pong: one consumer's 128 rows, 4 fragment rows x 4 groups.
// PINGPONG-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s4_ws_persistent_pingpong_widestore(
// PINGPONG-COUNT-16: vector.store %{{.*}} {alignment = 16 : i64} : memref<3932160xbf16>, vector<8xbf16>
// PINGPONG-NOT:     vector.store
// PINGPONG:         gpu.return

// Without the option: pairs, no shuffles.
// DIRECT-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s4_ws_persistent(
// DIRECT-NOT:     gpu.shuffle
// DIRECT-NOT:     vector<8xbf16>
// DIRECT:         vector.store %{{.*}} : memref<3932160xbf16>, vector<2xbf16>
// DIRECT-NOT:     gpu.shuffle
// DIRECT:         gpu.return

func.func @bf16(%a: tensor<2560x512xf8E4M3FN>, %sa: tensor<f32>,
                %b: tensor<1536x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2560x1536xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2560x512xf8E4M3FN>, tensor<f32>, tensor<1536x512xf8E4M3FN>, tensor<f32>
        -> tensor<2560x1536xbf16>
  return %d : tensor<2560x1536xbf16>
}

func.func @f32(%a: tensor<1024x256xf8E4M3FN>, %sa: tensor<f32>,
               %b: tensor<2048x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<1024x2048xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<1024x256xf8E4M3FN>, tensor<f32>, tensor<2048x256xf8E4M3FN>, tensor<f32>
        -> tensor<1024x2048xf32>
  return %d : tensor<1024x2048xf32>
}

func.func @f16(%a: tensor<1000x384xf8E4M3FN>, %sa: tensor<1000x1xf32>,
               %b: tensor<2104x384xf8E4M3FN>, %sb: tensor<2104x1xf32>,
               %bias: tensor<2104xf32>) -> (tensor<1000x2104xf16>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<2104xf32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<1000x384xf8E4M3FN>, tensor<1000x1xf32>, tensor<2104x384xf8E4M3FN>, tensor<2104x1xf32>
        -> tensor<1000x2104xf16>, tensor<f32>
  return %d, %amax : tensor<1000x2104xf16>, tensor<f32>
}

func.func @fp8(%a: tensor<1000x1040xf8E4M3FN>, %sa: tensor<1000x1xf32>,
               %b: tensor<2064x1040xf8E5M2>, %sb: tensor<2064x1xf32>,
               %os: tensor<f32>) -> (tensor<1000x2064xf8E4M3FN>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<1000x1040xf8E4M3FN>, tensor<1000x1xf32>, tensor<2064x1040xf8E5M2>, tensor<2064x1xf32>
        -> tensor<1000x2064xf8E4M3FN>, tensor<f32>
  return %d, %amax : tensor<1000x2064xf8E4M3FN>, tensor<f32>
}

func.func @n2052(%a: tensor<1024x256xf8E4M3FN>, %sa: tensor<f32>,
                 %b: tensor<2052x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<1024x2052xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<1024x256xf8E4M3FN>, tensor<f32>, tensor<2052x256xf8E4M3FN>, tensor<f32>
        -> tensor<1024x2052xbf16>
  return %d : tensor<1024x2052xbf16>
}

func.func @n2050(%a: tensor<1024x256xf8E4M3FN>, %sa: tensor<f32>,
                 %b: tensor<2050x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<1024x2050xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<1024x256xf8E4M3FN>, tensor<f32>, tensor<2050x256xf8E4M3FN>, tensor<f32>
        -> tensor<1024x2050xbf16>
  return %d : tensor<1024x2050xbf16>
}
