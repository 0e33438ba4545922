//! Add & norm on the GPU in one kernel: `LayerNorm(x + bias + residual)` over each row, where `x`
//! is a Linear layer's product before its bias — what burn runs as a bias add, a residual add and
//! LayerNorm's nine element-wise and reduction dispatches. One workgroup per row: it adds, keeps
//! the sums in workgroup memory, and normalises with the mean and the (biased) variance taken in
//! two passes, as PyTorch does.

use burn_cubecl::tensor::CubeTensor;

use super::wgsl::{Wgsl, bindings, contiguous, empty, grid, launch, reductions};

const GROUP: u32 = 64;

/// Which inputs the kernel adds before it normalises, and whether the norm has a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Variant {
    bias: bool,
    residual: bool,
    beta: bool,
}

impl Variant {
    fn wgsl(self) -> Wgsl {
        let mut names = vec!["x", "gamma", "out"];
        let mut add = String::new();
        if self.bias {
            names.push("bias");
            add += " v = v + bias[j];";
        }
        if self.residual {
            names.push("residual");
            add += " v = v + residual[at + j];";
        }
        if self.beta {
            names.push("beta");
        }
        let shift = if self.beta { " + beta[j]" } else { "" };
        let code = format!(
            "struct Params {{ rows: u32, width: u32, groups_x: u32, eps: f32 }}
{bindings}{reductions}
@compute @workgroup_size({GROUP})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {{
  let row = min(wg.y * p.groups_x + wg.x, p.rows - 1u);
  let at = row * p.width;
  var sum = 0.0;
  for (var j = li; j < p.width; j = j + {GROUP}u) {{
    var v = x[at + j];{add}
    out[at + j] = v;
    sum = sum + v;
  }}
  let mean = workgroup_sum(li, sum) / f32(p.width);
  var squares = 0.0;
  for (var j = li; j < p.width; j = j + {GROUP}u) {{
    let d = out[at + j] - mean;
    squares = squares + d * d;
  }}
  let scale = 1.0 / sqrt(workgroup_sum(li, squares) / f32(p.width) + p.eps);
  for (var j = li; j < p.width; j = j + {GROUP}u) {{
    out[at + j] = (out[at + j] - mean) * scale * gamma[j]{shift};
  }}
}}
",
            bindings = bindings(&names),
            reductions = reductions(GROUP),
        );
        Wgsl {
            key: format!("layer_norm {self:?}"),
            code,
        }
    }
}

/// `LayerNorm(x + bias + residual)` over the last dimension (`bias`: one value per column;
/// `residual`: `x`'s shape), or `None` where the kernel does not fit the tensors.
pub fn add_norm(
    x: &CubeTensor,
    bias: Option<&CubeTensor>,
    residual: Option<&CubeTensor>,
    gamma: &CubeTensor,
    beta: Option<&CubeTensor>,
    eps: f64,
) -> Option<CubeTensor> {
    let shape = x.meta.shape().to_vec();
    let width = *shape.last()?;
    let rows = shape.iter().product::<usize>() / width.max(1);
    let vector = |t: &CubeTensor| t.meta.shape().as_slice() == [width];
    if width == 0
        || rows == 0
        || !contiguous(x)
        || !vector(gamma)
        || bias.is_some_and(|b| !vector(b))
        || beta.is_some_and(|b| !vector(b))
        || residual.is_some_and(|r| r.meta.shape() != x.meta.shape() || !contiguous(r))
    {
        return None;
    }
    let grid = grid(rows)?;
    let out = empty(x, shape);
    let variant = Variant {
        bias: bias.is_some(),
        residual: residual.is_some(),
        beta: beta.is_some(),
    };
    let mut buffers = vec![&x.handle, &gamma.handle, &out.handle];
    buffers.extend(bias.map(|t| &t.handle));
    buffers.extend(residual.map(|t| &t.handle));
    buffers.extend(beta.map(|t| &t.handle));
    let params = [
        u32::try_from(rows).ok()?,
        u32::try_from(width).ok()?,
        grid[0],
        (eps as f32).to_bits(),
    ];
    launch(x, variant.wgsl(), GROUP, grid, &buffers, &params);
    Some(out)
}
