"""From a PyTorch nn.Module to fp8-mlir, with the roles PyTorch knows.

    import fp8_mlir.torch
    ir = fp8_mlir.torch.export(model, x)                 # linalg on tensors
    step = fp8_mlir.torch.export(model, x, train=True)   # forward + backward
    quantized = fp8_mlir.torch.compile(model, x, recipe="blockwise")
    ptx, manifest = fp8_mlir.torch.compile(model, x, chip="sm_90a")

The exported function takes the module's parameters first (in
`named_parameters()` order, each `{fp8.role = #fp8.role<weight>}`), then
its buffers (no role), then the example inputs (activations), and for
`train=True` the tangents, the gradients of the outputs
(`{fp8.role = #fp8.role<gradient>}`). It returns the outputs and, for
`train=True`, the gradients of the parameters in the same order.

torch and torch-mlir are imported when a function here is called, never
when fp8_mlir is imported; install them with `scripts/setup.sh --torch`
(the pins are in python/requirements-torch.txt).
"""

__all__ = ["export", "compile", "Exported", "export_program"]

_PINS = "torch 2.11.0, torchao 0.18.0 and torch-mlir 20261001"


def _import_torch():
    """(torch, torch_mlir.fx, torch_mlir.ir, decomposition table getter), or
    an ImportError that says how to install them."""
    try:
        import torch
        from torch_mlir import fx, ir
        from torch_mlir.extras.fx_decomp_util import get_decomposition_table
    except ImportError as error:
        raise ImportError(
            f"fp8_mlir.torch needs PyTorch and torch-mlir ({error}); install "
            f"the pinned versions ({_PINS}, python/requirements-torch.txt) "
            "with scripts/setup.sh --torch") from error
    return torch, fx, ir, get_decomposition_table


class Exported:
    """What `export_program` gives: `ir` (linalg-on-tensors text, roles
    attached), `func_name`, and `roles`, one entry per function argument
    ("weight", "gradient" or None for an activation or buffer), and
    `arg_names` (the parameter/buffer names, "input<i>", "tangent<i>")."""

    def __init__(self, ir, func_name, roles, arg_names):
        self.ir = ir
        self.func_name = func_name
        self.roles = roles
        self.arg_names = arg_names

    def __str__(self):
        return self.ir


def _forward_graph(torch, decompositions, module, inputs, dynamic_shapes):
    """The decomposed FX graph of `module(*inputs)` from torch.export, whose
    placeholders are the lifted parameters, buffers and constants and then
    the user inputs; with the role and name of each placeholder."""
    program = torch.export.export(module, tuple(inputs),
                                  dynamic_shapes=dynamic_shapes, strict=False)
    program = program.run_decompositions(decompositions)
    kinds = torch.export.graph_signature.InputKind
    roles, names = [], []
    for spec in program.graph_signature.input_specs:
        roles.append("weight" if spec.kind == kinds.PARAMETER else None)
        names.append(spec.target if spec.target is not None else spec.arg.name)
    return program.graph_module, roles, names


def _symbolic_inputs(torch, inputs, dynamic_shapes):
    """Fake tensors for `inputs` in a FakeTensorMode whose ShapeEnv gives
    each dimension that `dynamic_shapes` names (torch.export's spelling: one
    entry per input, None or {dim index: torch.export.Dim}) a symbolic size;
    entries naming the same Dim share one symbol. Returns (mode, fakes)."""
    from torch._subclasses.fake_tensor import FakeTensorMode
    from torch.fx.experimental.symbolic_shapes import (
        DimDynamic, ShapeEnv, StatelessSymbolicContext)

    specs = (list(dynamic_shapes) if isinstance(dynamic_shapes, (list, tuple))
             else [dynamic_shapes])
    if len(specs) != len(inputs):
        raise ValueError(f"dynamic_shapes has {len(specs)} entries for "
                         f"{len(inputs)} inputs")
    # No duck sizing: two dims of equal example size stay distinct unless
    # they name the same Dim.
    mode = FakeTensorMode(shape_env=ShapeEnv(duck_shape=False))
    symbols = {}

    def symbol(dim, hint):
        name = getattr(dim, "__name__", None) or str(dim)
        if name not in symbols:
            probe = mode.from_tensor(
                torch.empty(hint),
                symbolic_context=StatelessSymbolicContext(
                    dynamic_sizes=[DimDynamic.DYNAMIC]))
            symbols[name] = probe.shape[0]
        return symbols[name]

    fakes = []
    for tensor, spec in zip(inputs, specs):
        spec = dict(spec or {})
        if any(not 0 <= index < tensor.dim() for index in spec):
            raise ValueError(f"dynamic_shapes names a dim outside "
                             f"{tuple(tensor.shape)}")
        sizes = [symbol(spec[index], size) if index in spec else size
                 for index, size in enumerate(tensor.shape)]
        with mode:
            fakes.append(torch.empty(sizes, dtype=tensor.dtype))
    return mode, fakes


def _joint_graph(torch, decompositions, module, inputs, dynamic_shapes=None):
    """The decomposed FX graph of one training step of `module`:
    (params..., buffers..., inputs..., tangents...) -> (outputs...,
    d params...), traced by make_fx over torch.func.functional_call and
    torch.autograd.grad, as aot_autograd builds its joint graph. With
    `dynamic_shapes` the inputs are traced symbolically (parameters keep
    their static shapes) and each tangent has its output's sizes, symbols
    included."""
    from torch.fx.experimental.proxy_tensor import make_fx
    from torch.func import functional_call
    from torch.utils._pytree import tree_flatten

    param_names = [name for name, _ in module.named_parameters()]
    buffer_names = [name for name, _ in module.named_buffers()]
    params = [p.detach() for _, p in module.named_parameters()]
    buffers = [b.detach() for _, b in module.named_buffers()]
    with torch.no_grad():
        outputs, _ = tree_flatten(module(*inputs))
    if not outputs or not all(isinstance(o, torch.Tensor) for o in outputs):
        raise TypeError("train=True needs a module whose outputs are "
                        "tensors")
    tangents = [torch.zeros_like(o) for o in outputs]
    tracing_mode = "real"
    if dynamic_shapes is not None:
        mode, inputs = _symbolic_inputs(torch, inputs, dynamic_shapes)
        params = [mode.from_tensor(p, static_shapes=True) for p in params]
        buffers = [mode.from_tensor(b, static_shapes=True) for b in buffers]
        state = dict(zip(param_names, params))
        state.update(zip(buffer_names, buffers))
        with mode, torch.no_grad():
            outputs, _ = tree_flatten(functional_call(module, state,
                                                      tuple(inputs)))
            tangents = [torch.zeros(o.shape, dtype=o.dtype) for o in outputs]
        tracing_mode = "symbolic"
    counts = (len(params), len(buffers), len(inputs))

    def step(*flat):
        p, rest = flat[:counts[0]], flat[counts[0]:]
        b, rest = rest[:counts[1]], rest[counts[1]:]
        x, t = rest[:counts[2]], rest[counts[2]:]
        with torch.enable_grad():
            p = [value.detach().requires_grad_(True) for value in p]
            state = dict(zip(param_names, p))
            state.update(zip(buffer_names, b))
            out, _ = tree_flatten(functional_call(module, state, tuple(x)))
            grads = torch.autograd.grad(out, p, t, allow_unused=True)
        grads = [torch.zeros_like(v) if g is None else g
                 for v, g in zip(p, grads)]
        return (*out, *grads)

    # SDPA's math backend: its backward is core ATen (bmm, softmax), where
    # the CPU flash kernel's backward is one op torch-mlir cannot lower.
    from torch.nn.attention import SDPBackend, sdpa_kernel
    with sdpa_kernel([SDPBackend.MATH]):
        graph = make_fx(step, decomposition_table=decompositions,
                        tracing_mode=tracing_mode)(
            *params, *buffers, *inputs, *tangents)
    roles = (["weight"] * len(params) + [None] * len(buffers) +
             [None] * len(inputs) + ["gradient"] * len(tangents))
    names = (param_names + buffer_names +
             [f"input{i}" for i in range(len(inputs))] +
             [f"tangent{i}" for i in range(len(tangents))])
    return graph, roles, names


def _attach_roles(ir, module, func_name, roles):
    """Sets `fp8.role` on the arguments of @func_name in the imported MLIR
    `module` through torch-mlir's MLIR bindings."""
    context = module.context
    context.allow_unregistered_dialects = True  # #fp8.role is not theirs.
    with context:
        function = next(
            op for op in module.body.operations
            if op.operation.name == "func.func" and
            ir.StringAttr(op.attributes["sym_name"]).value == func_name)
        num_args = len(function.regions[0].blocks[0].arguments)
        if num_args != len(roles):
            raise RuntimeError(
                f"torch-mlir gave @{func_name} {num_args} arguments where "
                f"PyTorch has {len(roles)} inputs; roles cannot be attached")
        dicts = []
        for role in roles:
            entries = {}
            if role is not None:
                entries["fp8.role"] = ir.Attribute.parse(f"#fp8.role<{role}>")
            dicts.append(ir.DictAttr.get(entries))
        function.operation.attributes["arg_attrs"] = ir.ArrayAttr.get(dicts)


def export_program(module, *example_inputs, train=False,
                   dynamic_shapes=None, func_name="main", roles=True):
    """Like `export`, returning an `Exported` (IR, roles, argument names).
    With `roles=False` no `fp8.role` is attached (`fp8-assign-roles` then
    infers them from the graph; `Exported.roles` still says PyTorch's)."""
    torch, fx, ir, get_decomposition_table = _import_torch()
    decompositions = get_decomposition_table()
    if train:
        graph, arg_roles, names = _joint_graph(torch, decompositions, module,
                                               list(example_inputs),
                                               dynamic_shapes)
    else:
        graph, arg_roles, names = _forward_graph(torch, decompositions, module,
                                             example_inputs, dynamic_shapes)
    imported = fx.stateless_fx_import(graph, output_type="linalg-on-tensors",
                                      model_name=func_name)
    if roles:
        _attach_roles(ir, imported, func_name, arg_roles)
    return Exported(str(imported.operation), func_name, arg_roles, names)


def export(module, *example_inputs, train=False, dynamic_shapes=None,
           func_name="main", roles=True):
    """linalg-on-tensors IR (text) of `module` applied to `example_inputs`,
    through torch.export (or, for `train=True`, the joint forward and
    backward step) and torch-mlir, with `fp8.role` on the arguments:
    parameters are weights, tangents gradients, the rest activations.
    `dynamic_shapes` (torch.export's spelling, one entry per example
    input) makes those dims `?` in the IR: through torch.export for the
    forward, by symbolic tracing for `train=True`, where each tangent takes
    its output's sizes and inputs naming the same Dim share it.
    `roles=False` leaves the roles to `fp8-assign-roles`' inference."""
    return export_program(module, *example_inputs, train=train,
                          dynamic_shapes=dynamic_shapes, func_name=func_name,
                          roles=roles).ir


def compile(module, *example_inputs, recipe="tensorwise", chip=None,
            train=False, dynamic_shapes=None, func_name="main", **options):
    """`export` followed by fp8-mlir: with `chip=None` the quantized IR
    (--fp8-quantize-pipeline with `recipe`), else ``(ptx, manifest)`` for
    `chip` ("sm_90a", "sm_100a") as fp8_mlir.to_ptx gives them (`options`
    are its pipeline options)."""
    import fp8_mlir

    ir = export(module, *example_inputs, train=train,
                dynamic_shapes=dynamic_shapes, func_name=func_name)
    if chip is None:
        if options:
            raise TypeError("pipeline options need a chip: "
                            f"{', '.join(options)}")
        return fp8_mlir.compile(ir, f"fp8-quantize-pipeline{{recipe={recipe}}}")
    return fp8_mlir.to_ptx(ir, chip=chip, recipe=recipe, **options)
