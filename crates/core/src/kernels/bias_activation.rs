//! Bias and activation on the GPU in one kernel: `act(x + bias)` element by element, where `x` is
//! a Linear layer's product before its bias — what burn runs as a bias add and, for exact GELU,
//! five more dispatches. Exact GELU takes `Φ(x) = erfc(−x/√2)/2` from the same rational-
//! exponential formula as the CPU kernel (`gelu.rs`); tanh is written so that it cannot overflow.

use burn_cubecl::tensor::CubeTensor;

use super::wgsl::{Wgsl, bindings, contiguous, empty, grid, launch};
use crate::config::Activation;

const GROUP: u32 = 64;

/// The activation's WGSL, of `v` (a `vec4<f32>`).
fn activation(activation: Activation) -> &'static str {
    match activation {
        Activation::Gelu => "v * 0.5 * erfc(-v * 0.70710678118654752)",
        Activation::GeluTanh => {
            "0.5 * v * (1.0 + safe_tanh(0.79788456080286536 * (v + 0.044715 * v * v * v)))"
        }
        Activation::Relu => "max(v, vec4<f32>(0.0))",
        Activation::Silu => "v / (1.0 + exp(-v))",
        Activation::Tanh => "safe_tanh(v)",
    }
}

const FUNCTIONS: &str = "fn erfc(z: vec4<f32>) -> vec4<f32> {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.5 * a);
  let poly = -1.2655122 + t * (1.0000237 + t * (0.37409196 + t * (0.09678418
    + t * (-0.18628806 + t * (0.27886807 + t * (-1.135204 + t * (1.4885159
    + t * (-0.8221522 + t * 0.17087277))))))));
  let tail = t * exp(min(-a * a + poly, vec4<f32>(80.0)));
  return select(2.0 - tail, tail, z >= vec4<f32>(0.0));
}
fn safe_tanh(x: vec4<f32>) -> vec4<f32> {
  let e = exp(-2.0 * min(abs(x), vec4<f32>(40.0)));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
";

fn wgsl(act: Activation, bias: bool) -> Wgsl {
    let names: &[&str] = if bias {
        &["x", "out", "bias"]
    } else {
        &["x", "out"]
    };
    let add = if bias {
        "  let c = (i * 4u) % p.width;
  v = v + vec4<f32>(bias[c], bias[c + 1u], bias[c + 2u], bias[c + 3u]);\n"
    } else {
        ""
    };
    let code = format!(
        "struct Params {{ quads: u32, width: u32, groups_x: u32 }}
{bindings}{FUNCTIONS}
@compute @workgroup_size({GROUP})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {{
  let i = (wg.y * p.groups_x + wg.x) * {GROUP}u + li;
  if (i >= p.quads) {{ return; }}
  var v = vec4<f32>(x[i * 4u], x[i * 4u + 1u], x[i * 4u + 2u], x[i * 4u + 3u]);
{add}  let y = {act};
  out[i * 4u] = y.x; out[i * 4u + 1u] = y.y; out[i * 4u + 2u] = y.z; out[i * 4u + 3u] = y.w;
}}
",
        bindings = bindings(names),
        act = activation(act),
    );
    Wgsl {
        key: format!("bias_activation {act:?} {bias}"),
        code,
    }
}

/// `act(x + bias)` (`bias`: one value per column of the last dimension), or `None` where the
/// kernel does not fit (a width that is not a multiple of 4).
pub fn bias_activation(
    x: &CubeTensor,
    bias: Option<&CubeTensor>,
    act: Activation,
) -> Option<CubeTensor> {
    let shape = x.meta.shape().to_vec();
    let width = *shape.last()?;
    let count: usize = shape.iter().product();
    if count == 0
        || !width.is_multiple_of(4)
        || !contiguous(x)
        || bias.is_some_and(|b| b.meta.shape().as_slice() != [width])
    {
        return None;
    }
    let quads = count / 4;
    let grid = grid(quads.div_ceil(GROUP as usize))?;
    let out = empty(x, shape);
    let mut buffers = vec![&x.handle, &out.handle];
    buffers.extend(bias.map(|b| &b.handle));
    let params = [
        u32::try_from(quads).ok()?,
        u32::try_from(width).ok()?,
        grid[0],
    ];
    launch(x, wgsl(act, bias.is_some()), GROUP, grid, &buffers, &params);
    Some(out)
}
