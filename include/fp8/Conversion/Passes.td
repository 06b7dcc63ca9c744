//===- Passes.td - fp8 conversion passes -------------------*- tablegen -*-===//
//
// Part of fp8-mlir. Every pass documents what it does with a before/after
// example.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_PASSES_TD
#define FP8_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertFP8ToGPU : Pass<"convert-fp8-to-gpu", "ModuleOp"> {
  let summary = "Replace fp8 ops on static tensors by launches of "
                "sm_90a/sm_100a kernels";
  let description = [{
    Replaces every `fp8.quantize`, `fp8.dequantize`, `fp8.amax`,
    `fp8.hadamard` and `fp8.scaled_matmul` with static shapes, and the fused ops of
    `fp8-fuse-quantize` (`fp8.quantize_with_amax`, `fp8.quantize_transposed`,
    `fp8.amax_transposed`), by a `gpu.launch_func` of a kernel written for
    the target chip: one conversion pattern per op
    (`populateFP8ToGPUConversionPatterns`). Each kernel lives in a
    `gpu.module` of its own, named after everything that specializes it
    (op, element types, scaling, shape), so equal ops share one kernel. The
    pass plans every op before it changes any, so all ops without a kernel
    are reported and the IR stays untouched then.

    The pass runs on tensors, before bufferization. At each op it
    bufferizes the boundary by hand: operands become 1-D (or, for TMA,
    2-D) buffers through `bufferization.to_buffer`, results are
    `gpu.alloc host_shared` buffers wrapped back with
    `bufferization.to_tensor restrict writable`. One-shot bufferization then
    turns the rest of the host code into plain memref code. Buffers handed to
    the kernels must be device accessible and 16-byte aligned.

    Kernels (see docs/gpu-pipeline.md for their structure):

    * quantize: each thread converts a chunk of up to 16 elements with
      16-byte vector loads/stores, dividing by the scale of the element's
      group (tensor, rowwise, block, f32 or E8M0 scales) in f32 and
      converting pairs with `cvt.rn.satfinite.{e4m3x2,e5m2x2}.f32`;
      `saturate = false` then maps overflow to NaN (E4M3) or inf (E5M2).
    * FP4 quantize with `sr_seed` (sm_100a): `cvt.rs.satfinite.e2m1x4.f32`
      per four elements, fed by the SplitMix64 word of the CPU lowering.
    * hadamard: one thread per block of (at most 16) elements, the CPU
      lowering's f32 products and sums in the same order (both chips).
    * dequantize: `cvt.rn.f16x2.{e4m3x2,e5m2x2}` (exact), times the scale in
      f32, rounded to the result type.
    * amax: max of `|x|` as integer max on the f32 bit pattern (NaN sorts
      above inf, so it propagates), warp `shfl.sync.bfly` reductions, and for
      tensor scaling one `atom.global.max.u32` per CTA into a zeroed result.
    * scaled_matmul (sm_90a): TMA loads into a multi-stage shared-memory
      ring guarded by mbarriers, `wgmma.mma_async` e4m3/e5m2 with f32
      accumulators, and an epilogue applying `sA * sB`, bias and the output
      cast. Large problems get a warp-specialized kernel (a TMA producer
      warpgroup, two wgmma consumer warpgroups, full/empty mbarriers,
      `setmaxnreg`). Block scales along K ([1, 128] x [128, 128], MX
      [1, 32]) are applied by promoting each K group's partial sums into
      the accumulators; without them, GEMMs with an E5M2 operand (or
      `gemm-accumulate=split`) promote per 128-wide K step the same way
      (a split accumulator: Hopper's FP8 wgmma adds keep fewer than 32
      bits). Warp-specialized kernels run as 2-CTA clusters
      that share one operand's tile through TMA multicast. Structure, tile
      shape, stage count and cluster come from `KernelHeuristics`
      (overridable with `gemm-warp-specialize`, `gemm-tile`, `gemm-stages`,
      `gemm-cluster`).
    * scaled_matmul (sm_100a): the same TMA + mbarrier ring feeding
      `tcgen05.mma` (`.kind::f8f6f4`, M = 128) issued by one thread into a
      tensor-memory accumulator, a `tcgen05.ld` epilogue; MXFP8 ([1, 32]
      E8M0 scales on A and B) uses `tcgen05.mma.block_scale` `.block32`
      with the scales moved into tensor memory by `tcgen05.cp`. Tile N and
      stages from `KernelHeuristics` (`gemm-tile=128xN`, `gemm-stages`).
      The amax reductions use `redux.sync` on sm_100a.
    * GEMM schedule options (both chips, each off by default until
      measured on a GPU): `gemm-wait-hint=spin` waits on the mbarriers
      without a suspend-time hint, `gemm-raster=grouped` visits the tiles
      in strips of `gemm-raster-group` row tiles, `gemm-l2-promotion`
      widens the TMA loads' L2 requests (recorded in the manifest), and
      `gemm-epilogue-prefetch=on` (sm_90a) loads the epilogue's row and
      output scales before the last wgmma wait.
    * Persistent sm_90a GEMM schedules (off by default until measured):
      `gemm-schedule=pingpong` gives each consumer warpgroup whole tiles,
      order mbarriers making the two take turns on the tensor cores and
      (`gemm-pingpong-order=mma-epilogue`, the default) in their
      epilogues; `gemm-epilogue=tma-store` stages each tile of D in its
      own swizzled shared-memory buffer and stores it with
      `cp.async.bulk.tensor`; `gemm-epilogue=direct-wide` stores from the
      registers after shuffles that give each lane up to 16 contiguous
      bytes of a row.

    The pass also records a JSON manifest of every kernel (grid, block,
    cluster, dynamic shared memory, parameters, TMA descriptor specs) in
    the module attribute `fp8.gpu_manifest`; `scripts/extract-ptx.py` writes
    it out next to the PTX.

    Ops it cannot lower (dynamic shapes, FP4/FP6 on sm_90a, batched GEMMs,
    ...) get an error at their location and the pass fails.

    Before:

    ```mlir
    func.func @q(%x: tensor<256x512xf32>, %s: tensor<f32>)
        -> tensor<256x512xf8E4M3FN> {
      %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
          : tensor<256x512xf32>, tensor<f32> -> tensor<256x512xf8E4M3FN>
      return %q : tensor<256x512xf8E4M3FN>
    }
    ```

    After (`convert-fp8-to-gpu{chip=sm_90a}`, then canonicalize; constants
    and the repeated pairs elided):

    ```mlir
    module attributes {fp8.gpu_manifest = "{...}", gpu.container_module} {
      gpu.module @fp8_quantize_f32_f8E4M3FN_tensor_256x512 {
        gpu.func @fp8_quantize_f32_f8E4M3FN_tensor_256x512(
            %in: memref<131072xf32>, %scale: memref<1xf32>,
            %out: memref<131072xf8E4M3FN>) kernel
            attributes {known_block_size = array<i32: 256, 1, 1>,
                        known_grid_size = array<i32: 32, 1, 1>} {
          %bid = gpu.block_id x
          %tid = gpu.thread_id x
          %0 = arith.muli %bid, %c256 : index
          %chunk = arith.addi %0, %tid : index
          %inside = arith.cmpi ult, %chunk, %c8192 : index
          scf.if %inside {
            %off = arith.muli %chunk, %c16 : index
            %s = memref.load %scale[%c0] : memref<1xf32>
            %x = vector.load %in[%off] {alignment = 16 : i64}
                : memref<131072xf32>, vector<16xf32>
            %x0 = vector.extract %x[0] : f32 from vector<16xf32>
            %y0 = arith.divf %x0, %s : f32
            %x1 = vector.extract %x[1] : f32 from vector<16xf32>
            %y1 = arith.divf %x1, %s : f32
            %p0 = nvvm.convert.f32x2.to.f8x2 %y1, %y0
                {rnd = #nvvm.fp_rnd_mode<rn>, sat = #nvvm.sat_mode<satfinite>}
                : i16(f8E4M3FN)
            ...
            %v = vector.from_elements %p0, ..., %p7 : vector<8xi16>
            %q = vector.bitcast %v : vector<8xi16> to vector<16xf8E4M3FN>
            vector.store %q, %out[%off] {alignment = 16 : i64}
                : memref<131072xf8E4M3FN>, vector<16xf8E4M3FN>
          }
          gpu.return
        }
      }
      func.func @q(%x: tensor<256x512xf32>, %s: tensor<f32>)
          -> tensor<256x512xf8E4M3FN> {
        %xf = tensor.collapse_shape %x [[0, 1]]
            : tensor<256x512xf32> into tensor<131072xf32>
        %xb = bufferization.to_buffer %xf read_only
            : tensor<131072xf32> to memref<131072xf32>
        %sf = tensor.expand_shape %s [] output_shape [1]
            : tensor<f32> into tensor<1xf32>
        %sb = bufferization.to_buffer %sf read_only
            : tensor<1xf32> to memref<1xf32>
        %out = gpu.alloc host_shared () : memref<131072xf8E4M3FN>
        gpu.launch_func @fp8_quantize_f32_f8E4M3FN_tensor_256x512::@fp8_quantize_f32_f8E4M3FN_tensor_256x512
            blocks in (%c32, %c1, %c1) threads in (%c256, %c1, %c1)
            args(%xb : memref<131072xf32>, %sb : memref<1xf32>,
                 %out : memref<131072xf8E4M3FN>)
        %t = bufferization.to_tensor %out restrict writable
            : memref<131072xf8E4M3FN> to tensor<131072xf8E4M3FN>
        %q = tensor.expand_shape %t [[0, 1]] output_shape [256, 512]
            : tensor<131072xf8E4M3FN> into tensor<256x512xf8E4M3FN>
        return %q : tensor<256x512xf8E4M3FN>
      }
    }
    ```
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90a\"",
           "Target GPU: sm_90a (Hopper) or sm_100a (Blackwell)">,
    Option<"gemmTile", "gemm-tile", "std::string", /*default=*/"\"\"",
           "Override the GEMM CTA tile `MxN` (e.g. 128x128); empty: the "
           "KernelHeuristics choice">,
    Option<"gemmStages", "gemm-stages", "unsigned", /*default=*/"0",
           "Override the GEMM pipeline depth; 0: the KernelHeuristics "
           "choice">,
    Option<"gemmWarpSpecialize", "gemm-warp-specialize",
           "::mlir::fp8::GemmSwitch", "::mlir::fp8::GemmSwitch::Auto",
           "GEMM structure: `on` (sm_90a: a TMA producer warpgroup and two "
           "wgmma consumer warpgroups; sm_100a: a TMA warp, an MMA warp and "
           "four epilogue warps), `off` (one warpgroup) or `auto` (the "
           "KernelHeuristics choice; off on sm_100a until measured)",
           "::mlir::fp8::gemmSwitchValues()">,
    Option<"gemmCluster", "gemm-cluster", "::mlir::fp8::GemmCluster",
           "::mlir::fp8::GemmCluster::Auto",
           "GEMM thread block cluster, CTAs along M x along N: `1x1`, "
           "`2x1` (sm_90a: the two CTAs share B's tile through TMA "
           "multicast; sm_100a: a CTA pair computes 256 x N tiles with "
           "`tcgen05.mma.cta_group::2`), `1x2` (sm_90a: they share A's) or "
           "`auto` (the KernelHeuristics choice; on sm_100a no pair); "
           "warp-specialized kernels only",
           "::mlir::fp8::gemmClusterValues()">,
    Option<"gemmAccumulate", "gemm-accumulate", "::mlir::fp8::GemmAccumulate",
           "::mlir::fp8::GemmAccumulate::Auto",
           "sm_90a GEMM accumulation without scales along K: `fast` (all "
           "of K in the wgmma accumulators), `split` (per 128-wide K step "
           "partial sums added to f32 totals) or `auto` (split when an "
           "operand is E5M2, i.e. for gradients)",
           "::mlir::fp8::gemmAccumulateValues()">,
    Option<"gemmPersistent", "gemm-persistent", "::mlir::fp8::GemmSwitch",
           "::mlir::fp8::GemmSwitch::Auto",
           "GEMM with persistent CTAs: `on` (one CTA per SM looping over "
           "the tiles; warp-specialized kernels only; sm_100a: two "
           "tensor-memory accumulators, the epilogue of a tile overlaps the "
           "MMAs of the next), `off`, or `auto` (off until measured on a "
           "GPU)",
           "::mlir::fp8::gemmSwitchValues()">,
    Option<"gemmWaitHint", "gemm-wait-hint", "::mlir::fp8::GemmWaitHint",
           "::mlir::fp8::GemmWaitHint::Suspend",
           "GEMM mbarrier waits (both chips): `suspend` (try_wait with a "
           "10 ms suspend-time hint; the default until measured) or `spin` "
           "(try_wait without a hint, as CUTLASS and DeepGEMM wait)",
           "::mlir::fp8::gemmWaitHintValues()">,
    Option<"gemmRaster", "gemm-raster", "::mlir::fp8::GemmRaster",
           "::mlir::fp8::GemmRaster::M",
           "GEMM tile order (both chips; the cluster tiles of a clustered or "
           "persistent sm_90a kernel): `m` (M fastest over all row tiles; "
           "the default until measured) or `grouped` (M fastest within "
           "strips of `gemm-raster-group` row tiles, so the CTAs running "
           "together share A's rows in L2)",
           "::mlir::fp8::gemmRasterValues()">,
    Option<"gemmRasterGroup", "gemm-raster-group", "unsigned",
           /*default=*/"8",
           "Row tiles per strip of `gemm-raster=grouped`, 1 to 64">,
    Option<"gemmL2Promotion", "gemm-l2-promotion",
           "::mlir::fp8::GemmL2Promotion", "::mlir::fp8::GemmL2Promotion::None",
           "L2 promotion of the GEMMs' TMA descriptors (both chips; the "
           "launch manifest records it for the host encoder): `none` (the "
           "default until measured), `64`, `128` or `256` bytes",
           "::mlir::fp8::gemmL2PromotionValues()">,
    Option<"gemmEpiloguePrefetch", "gemm-epilogue-prefetch",
           "::mlir::fp8::GemmToggle", "::mlir::fp8::GemmToggle::Off",
           "sm_90a GEMM: `on` loads the epilogue's row and output scales "
           "before the last wgmma wait of a tile, `off` (the default until "
           "measured) after the epilogue's barrier",
           "::mlir::fp8::gemmToggleValues()">,
    Option<"gemmSchedule", "gemm-schedule", "::mlir::fp8::GemmSM90Schedule",
           "::mlir::fp8::GemmSM90Schedule::Cooperative",
           "Persistent sm_90a GEMM (`gemm-persistent=on`): `cooperative` "
           "(both consumer warpgroups compute halves of one tile; the "
           "default until measured) or `pingpong` (each consumer computes "
           "whole tiles, the two taking turns on the tensor cores so one's "
           "epilogue overlaps the other's MMAs)",
           "::mlir::fp8::gemmSM90ScheduleValues()">,
    Option<"gemmPingPongOrder", "gemm-pingpong-order",
           "::mlir::fp8::GemmPingPongOrder",
           "::mlir::fp8::GemmPingPongOrder::MmaEpilogue",
           "sm_90a ping-pong schedule (`gemm-schedule=pingpong`): what the "
           "order mbarriers order: `mma-epilogue` (the default, as "
           "CUTLASS's ping-pong: the consumers take turns issuing their "
           "main loops and running their epilogues, so one's epilogue "
           "overlaps the other's MMAs and the two never store at once) or "
           "`mma` (main loops only; the epilogues may run together)",
           "::mlir::fp8::gemmPingPongOrderValues()">,
    Option<"gemmEpilogue", "gemm-epilogue", "::mlir::fp8::GemmEpilogue",
           "::mlir::fp8::GemmEpilogue::Direct",
           "Persistent sm_90a GEMM epilogue: `direct` (pairs stored from "
           "the registers; the default until measured), `direct-wide` "
           "(the 4 lanes of a fragment row exchange pairs with shuffles so "
           "each stores up to 16 contiguous bytes and a warp's store fills "
           "whole 32-byte sectors; pairs where N does not allow it) or "
           "`tma-store` (the "
           "tile goes to its own swizzled shared-memory buffer, which one "
           "thread stores with `cp.async.bulk.tensor`; D's tensor map is in "
           "the launch manifest). Falls back to `direct` where D's rows are "
           "not whole 16 bytes or a tile row is not whole 128 bytes",
           "::mlir::fp8::gemmEpilogueValues()">,
    Option<"gemmPromotion", "gemm-promotion", "::mlir::fp8::GemmPromotion",
           "::mlir::fp8::GemmPromotion::Serial",
           "sm_90a GEMM with scales along K (blockwise, MX): `serial` (the "
           "default until measured: wait for each K group's wgmma's, then "
           "promote its partial sums) or `overlapped` (issue the next K "
           "group's wgmma's into a second set of partial sums, then promote "
           "the previous group while they run; `wgmma.wait_group 1`)",
           "::mlir::fp8::gemmPromotionValues()">,
    Option<"gemmScaleLoad", "gemm-scale-load", "::mlir::fp8::GemmScaleLoad",
           "::mlir::fp8::GemmScaleLoad::Global",
           "How block-scaled GEMMs stage their scale factors: `global` (the "
           "threads load them from global memory; the default) or `tma` "
           "(TMA boxes in each stage, counted in its full barrier; sm_100a: "
           "the warp-specialized MXFP8 kernel, K a multiple of 512; "
           "sm_90a: the warp-specialized kernel's A scales per row along K, "
           "`[1, 128]` f32 or MX `[1, 32]` E8M0, a 16-byte x tileM box per "
           "K step, K a multiple of 512; B's scales stay global)",
           "::mlir::fp8::gemmScaleLoadValues()">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def FP8FuseQuantize : Pass<"fp8-fuse-quantize"> {
  let summary = "Fuse the quantize chains one GPU kernel runs into fused "
                "fp8 ops";
  let description = [{
    Makes every fusion decision of the GPU lowering explicit in the IR, so
    that `convert-fp8-to-gpu` then launches one kernel per op:

    * `fp8.quantize` of `fp8.scale_from_amax(fp8.amax(x))`, with the same
      input and rowwise or block scaling, where the fused kernel handles
      the shapes (a warp per scale group, or a CTA per group for wider
      groups and `[r, c]` blocks), becomes `fp8.quantize_with_amax`: one
      kernel computes amax, scales and data. Users of the scales after the
      quantize read the fused op's scales; the scale_from_amax goes, and so
      does the amax unless something else uses it. Not fused: a scale with
      a user before the quantize or in another block, an amax of another
      value or scaling, tensor scaling, and inputs made by a transpose the
      next rule reads through.
    * `fp8.quantize` and `fp8.amax` of a `linalg.transpose` that swaps the
      last two dimensions become `fp8.quantize_transposed` and
      `fp8.amax_transposed` of the transpose's input, where the transposing
      kernels handle the shapes and scaling: they read the input in place
      (tiles transposed through shared memory). The transpose goes once
      nothing else uses it.

    Ops with dynamic shapes are left alone (`convert-fp8-to-gpu` reports
    them). The bias of a GEMM needs no fusion here: `fp8-quantize-matmuls`
    already makes it the `bias` operand of `fp8.scaled_matmul`.
    `--fp8-gpu-pipeline` runs this pass right before `convert-fp8-to-gpu`.

    Before:

    ```mlir
    %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>}
        : tensor<256x512xbf16> -> tensor<256x4xf32>
    %s = fp8.scale_from_amax %a {format = f8E4M3FN}
        : tensor<256x4xf32> -> tensor<256x4xf32>
    %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>}
        : tensor<256x512xbf16>, tensor<256x4xf32> -> tensor<256x512xf8E4M3FN>
    %t = linalg.transpose ins(%w : tensor<512x256xf32>)
        outs(%init : tensor<256x512xf32>) permutation = [1, 0]
    %qw = fp8.quantize %t, %sw {scaling = #fp8.scaling<tensor>}
        : tensor<256x512xf32>, tensor<f32> -> tensor<256x512xf8E4M3FN>
    ```

    After:

    ```mlir
    %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN,
        scaling = #fp8.scaling<block [1, 128]>}
        : tensor<256x512xbf16> -> tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
    %qw = fp8.quantize_transposed %w, %sw {scaling = #fp8.scaling<tensor>}
        : tensor<512x256xf32>, tensor<f32> -> tensor<256x512xf8E4M3FN>
    ```
  }];
}

def FP8HostBuffersToGPU : Pass<"fp8-host-buffers-to-gpu", "ModuleOp"> {
  let summary = "Allocate the host buffers of the GPU pipeline as managed "
                "memory";
  let description = [{
    After bufferization, host code allocates buffers with `memref.alloc`
    (plain `malloc`), but those buffers may be kernel arguments (a scale
    computed on the host by `fp8.scale_from_amax`, a temporary between two
    kernels). This pass turns every `memref.alloc` outside `gpu.module`s
    into `gpu.alloc host_shared` (CUDA managed memory, visible to host and
    device) and every `memref.dealloc` of such a buffer into a `gpu.dealloc`.
    `--fp8-gpu-pipeline` runs it right after one-shot bufferization.

    Before:

    ```mlir
    %s = memref.alloc() {alignment = 64 : i64} : memref<f32>
    linalg.generic ... outs(%s : memref<f32>)
    gpu.launch_func @k::@k blocks in (...) threads in (...)
        args(%s : memref<f32>, ...)
    ```

    After:

    ```mlir
    %s = gpu.alloc host_shared () : memref<f32>
    linalg.generic ... outs(%s : memref<f32>)
    gpu.launch_func @k::@k blocks in (...) threads in (...)
        args(%s : memref<f32>, ...)
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def FP8ExternDynamicSharedMemory
    : Pass<"fp8-extern-dynamic-shared-memory", "::mlir::gpu::GPUModuleOp"> {
  let summary = "Declare the kernels' dynamic shared memory `.extern`, "
                "1024-byte aligned, after all static shared memory";
  let description = [{
    `convert-gpu-to-nvvm` lowers `gpu.dynamic_shared_memory` to an
    *internal* zero-sized global in address space 3. NVPTX then demotes it
    into the kernel as an ordinary 1-byte `.shared` variable, and ptxas lays
    it out among the static shared variables (mbarriers, reduction
    partials) in declaration order: the "dynamic" buffer then starts on top
    of static variables declared after it, and a kernel writing its dynamic
    buffer (a TMA ring) overwrites them.

    This pass, run on each `gpu.module` after `convert-gpu-to-nvvm`, gives
    every zero-sized address-space-3 global external linkage (a
    declaration) and 1024-byte alignment. NVPTX prints it as CUDA's
    `extern __shared__` arrays,
    `.extern .shared .align 1024 .b8 __dynamic_shmem__0[];`, which ptxas
    places after all static shared memory, on a 1024-byte boundary (what
    the 128-byte TMA/wgmma swizzle needs). `--fp8-gpu-pipeline` runs it.

    Before:

    ```mlir
    llvm.mlir.global internal @__dynamic_shmem__0()
        {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
    ```

    After:

    ```mlir
    llvm.mlir.global external @__dynamic_shmem__0()
        {addr_space = 3 : i32, alignment = 1024 : i64} : !llvm.array<0 x i8>
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def TestTcgen05Descriptors
    : Pass<"test-fp8-tcgen05-descriptors", "ModuleOp"> {
  let summary = "Test only: materialize Blackwell tcgen05 descriptors "
                "described by attributes";
  let description = [{
    Exposes the descriptor builders of the sm_100a GEMM
    (lib/Conversion/FP8ToNVVM/Tcgen05Descriptors.h) to lit tests, so every
    field of the `tcgen05.mma` instruction descriptor and of the shared
    memory descriptor is checked bit by bit, including fields the fp8
    kernels always leave 0 (negate, transpose, sparsity, maximum shift).

    Every `func.func` declaration with a `fp8.test.tcgen05_instr_desc`
    dictionary gets a body returning the 32-bit instruction descriptor as an
    `arith.constant` of type i32 (the function must return i32). Keys:
    `kind` (`"f8f6f4"` or `"mxf8f6f4"`), `a` / `b` (element types), `m`,
    `n`, `accumulator` (`"f32"` or `"f16"`), `sparse`, `sparsity_selector`,
    `negate_a`, `negate_b`, `transpose_a`, `transpose_b`, `sfa_id`,
    `sfb_id`, `max_shift`; absent keys keep the defaults (f8f6f4, E4M3,
    128 x 128, F32, everything else 0).

    Every declaration with a `fp8.test.tcgen05_smem_desc` dictionary gets a
    body returning the 64-bit shared memory descriptor as an i64 constant.
    Keys: `layout` (`"k_major_sw128"` or `"scale_factor_rows"`, the presets
    the GEMM uses; default: the K-major 128-byte swizzle), then overrides
    `address`, `lbo`, `sbo`, `base_offset`, `absolute` and `swizzle`
    (`"none"`, `"128b_atom32b"`, `"128b"`, `"64b"`, `"32b"`).

    Fields that do not form a valid descriptor, and unknown keys, are
    reported at the function.

    Before:

    ```mlir
    func.func private @e5m2_a() -> i32 attributes {
      fp8.test.tcgen05_instr_desc = {a = f8E5M2, n = 64 : i64}}
    ```

    After:

    ```mlir
    func.func private @e5m2_a() -> i32 attributes {...} {
      %c135266448_i32 = arith.constant 135266448 : i32
      return %c135266448_i32 : i32
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
  ];
}

def TestWgmmaDescriptors : Pass<"test-fp8-wgmma-descriptors", "ModuleOp"> {
  let summary = "Test only: materialize Hopper wgmma shared memory "
                "descriptors described by attributes";
  let description = [{
    Exposes the descriptor builders of the sm_90a GEMM
    (lib/Conversion/FP8ToNVVM/WgmmaDescriptors.h) to lit tests, so every
    field of the `wgmma.mma_async` matrix descriptor is checked bit by bit,
    including fields the fp8 kernels never change (base offset, swizzle).

    Every `func.func` declaration with a `fp8.test.wgmma_smem_desc`
    dictionary gets a body returning the 64-bit descriptor as the GEMM
    builds it at run time (start address from an i64 `arith.constant`,
    fields or'ed in, then moved by `advance` bytes); the function must
    return i64. Its compile-time encoding is recorded on the function as
    `fp8.test.wgmma_smem_desc_encoded`. Keys: `layout` (`"k_major_sw128"`,
    the preset the GEMM uses, also the default), then overrides `address`,
    `advance`, `lbo`, `sbo`, `base_offset` and `swizzle` (`"none"`,
    `"128b"`, `"64b"`, `"32b"`, or a raw integer code).

    Fields that do not form a valid descriptor, and unknown keys, are
    reported at the function.

    Before:

    ```mlir
    func.func private @k_major() -> i64 attributes {
      fp8.test.wgmma_smem_desc = {address = 1024 : i64}}
    ```

    After (with `--canonicalize`):

    ```mlir
    func.func private @k_major() -> i64 attributes {
        fp8.test.wgmma_smem_desc = {address = 1024 : i64},
        fp8.test.wgmma_smem_desc_encoded = 4611686293305360448 : i64} {
      %c4611686293305360448_i64 = arith.constant 4611686293305360448 : i64
      return %c4611686293305360448_i64 : i64
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
  ];
}

#endif // FP8_CONVERSION_PASSES_TD
