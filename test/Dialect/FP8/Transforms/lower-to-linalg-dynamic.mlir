// fp8-lower-to-linalg on dynamic sizes: every tensor it makes takes its
// dynamic sizes from tensor.dim of the data, scale tensors count their
// groups with arith.ceildivui (a ragged last group, as for a static size that
// is not a multiple of the block), and each element finds its scale through
// the same floordiv maps as with static sizes.
// RUN: fp8-opt %s --fp8-lower-to-linalg --split-input-file | FileCheck %s --implicit-check-not=fp8.

// Blockwise GEMM, M, N and K dynamic, B stored [N, K] (transpose_b).
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AGROUP:.+]] = affine_map<(d0, d1) -> (d0, d1 floordiv 128)>
// CHECK-DAG: #[[BT:.+]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[BGROUP:.+]] = affine_map<(d0, d1) -> (d1 floordiv 128, d0 floordiv 128)>
// CHECK-LABEL: func.func @gemm_blockwise_dynamic(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<?x?xf8E4M3FN>, %[[SA:[^:]+]]: tensor<?x?xf32>, %[[B:[^:]+]]: tensor<?x?xf8E4M3FN>, %[[SB:[^:]+]]: tensor<?x?xf32>)
// CHECK-DAG:     %[[M:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?x?xf8E4M3FN>
// CHECK-DAG:     %[[K:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?x?xf8E4M3FN>
// CHECK-DAG:     %[[N:.+]] = tensor.dim %[[B]], %{{.+}} : tensor<?x?xf8E4M3FN>
// CHECK-DAG:     %[[BK:.+]] = tensor.dim %[[B]], %{{.+}} : tensor<?x?xf8E4M3FN>
// CHECK:         %[[AINIT:.+]] = tensor.empty(%[[M]], %[[K]]) : tensor<?x?xf32>
// CHECK:         %[[A32:.+]] = linalg.generic
// CHECK-SAME:        indexing_maps = [#[[ID]], #[[AGROUP]], #[[ID]]]
// CHECK-SAME:        ins(%[[A]], %[[SA]] : tensor<?x?xf8E4M3FN>, tensor<?x?xf32>) outs(%[[AINIT]] : tensor<?x?xf32>)
// CHECK:         %[[BINIT:.+]] = tensor.empty(%[[BK]], %[[N]]) : tensor<?x?xf32>
// CHECK:         %[[B32:.+]] = linalg.generic
// CHECK-SAME:        indexing_maps = [#[[BT]], #[[BGROUP]], #[[ID]]]
// CHECK-SAME:        ins(%[[B]], %[[SB]] : tensor<?x?xf8E4M3FN>, tensor<?x?xf32>) outs(%[[BINIT]] : tensor<?x?xf32>)
// CHECK:         %[[DINIT:.+]] = tensor.empty(%[[M]], %[[N]]) : tensor<?x?xf32>
// CHECK:         %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[DINIT]] : tensor<?x?xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:        iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME:        ins(%[[A32]], %[[B32]] : tensor<?x?xf32>, tensor<?x?xf32>) outs(%[[ZERO]] : tensor<?x?xf32>)
// CHECK:         tensor.empty(%[[M]], %[[N]]) : tensor<?x?xbf16>
func.func @gemm_blockwise_dynamic(%a: tensor<?x?xf8E4M3FN>, %sa: tensor<?x?xf32>,
                                  %b: tensor<?x?xf8E4M3FN>, %sb: tensor<?x?xf32>) -> tensor<?x?xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<?x?xf8E4M3FN>, tensor<?x?xf32>, tensor<?x?xf8E4M3FN>, tensor<?x?xf32> -> tensor<?x?xbf16>
  return %d : tensor<?x?xbf16>
}

// -----

// A [128, 128] amax of dynamic data: both group counts at run time.
// CHECK-DAG: #[[TILE:.+]] = affine_map<(d0, d1) -> (d0 floordiv 128, d1 floordiv 128)>
// CHECK-LABEL: func.func @amax_tiles_dynamic(
// CHECK-SAME:      %[[X:.+]]: tensor<?x?xf32>)
// CHECK-DAG:     %[[ROWS:.+]] = tensor.dim %[[X]], %{{.+}}
// CHECK-DAG:     %[[COLS:.+]] = tensor.dim %[[X]], %{{.+}}
// CHECK:         %[[GR:.+]] = arith.ceildivui %[[ROWS]], %{{.+}} : index
// CHECK:         %[[GC:.+]] = arith.ceildivui %[[COLS]], %{{.+}} : index
// CHECK:         tensor.empty(%[[GR]], %[[GC]]) : tensor<?x?xf32>
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#{{.+}}, #[[TILE]]]
// CHECK-SAME:        iterator_types = ["reduction", "reduction"]
func.func @amax_tiles_dynamic(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<?x?xf32> -> tensor<?x?xf32>
  return %a : tensor<?x?xf32>
}

// -----

// The fused MX quantize (formed only on static shapes by fp8-fuse-quantize,
// but valid on dynamic ones) lowers to its chain, E8M0 scales sized
// [rows, ceil(cols / 32)] at run time.
// CHECK-DAG: #[[MX:.+]] = affine_map<(d0, d1) -> (d0, d1 floordiv 32)>
// CHECK-LABEL: func.func @quantize_with_amax_mx_dynamic(
// CHECK-SAME:      %[[X:.+]]: tensor<?x?xf32>)
// CHECK-DAG:     %[[ROWS:.+]] = tensor.dim %[[X]], %{{.+}}
// CHECK-DAG:     %[[COLS:.+]] = tensor.dim %[[X]], %{{.+}}
// CHECK:         %[[GROUPS:.+]] = arith.ceildivui %[[COLS]], %{{.+}} : index
// CHECK:         tensor.empty(%[[ROWS]], %[[GROUPS]]) : tensor<?x?xf32>
// CHECK:         tensor.empty(%{{.+}}, %{{.+}}) : tensor<?x?xf8E8M0FNU>
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[MX]], #{{.+}}]
// CHECK-SAME:        outs(%{{.+}} : tensor<?x?xf8E4M3FN>)
func.func @quantize_with_amax_mx_dynamic(%x: tensor<?x?xf32>)
    -> (tensor<?x?xf8E4M3FN>, tensor<?x?xf8E8M0FNU>) {
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<block [1, 32]>}
      : tensor<?x?xf32> -> tensor<?x?xf8E4M3FN>, tensor<?x?xf8E8M0FNU>
  return %q, %s : tensor<?x?xf8E4M3FN>, tensor<?x?xf8E8M0FNU>
}
