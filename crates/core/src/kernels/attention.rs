//! Scaled dot-product attention on the GPU in one kernel: for one query token of one head, the
//! scores against every key (projection biases added as the rows are read, the per-key padding
//! bias added), their softmax, and the context those weights make of the values — written straight
//! into `[batch, seq, heads · head_dim]`, the heads merged without a copy, the probabilities
//! written only when asked. burn runs the same as two products, a scale, a mask add, softmax's
//! five dispatches, a bias add for each projection and copies to split and merge the heads.
//!
//! One workgroup per query token and head: the query row (scaled) and the token's scores stay in
//! workgroup memory; each invocation takes every 64th key, then every 64th component of the
//! context. The inputs are read by their strides, so the heads are views of the projections.

use burn_cubecl::tensor::CubeTensor;

use super::wgsl::{Wgsl, bindings, empty, grid, launch, reductions};

const GROUP: u32 = 64;
/// The longest sequence and the widest head the workgroup memory is sized for.
pub const MAX_SEQ: usize = 2048;
const MAX_HEAD_DIM: usize = 256;

/// Which optional inputs and outputs the kernel has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Variant {
    /// Projection biases for queries, keys and values (`[heads · head_dim]` each).
    biases: bool,
    /// A per-key additive bias `[batch, seq]` (padding).
    key_bias: bool,
    /// Whether the probabilities are written.
    probs: bool,
}

impl Variant {
    fn wgsl(self) -> Wgsl {
        let mut names = vec!["q", "k", "v", "context"];
        let (mut q_bias, mut k_bias, mut v_bias, mut mask, mut keep) = (
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        );
        if self.biases {
            names.extend(["q_bias", "k_bias", "v_bias"]);
            q_bias = " + q_bias[h * p.head_dim + d]".into();
            k_bias = " + k_bias[h * p.head_dim + d]".into();
            v_bias = " + v_bias[h * p.head_dim + d]".into();
        }
        if self.key_bias {
            names.push("key_bias");
            mask = "\n    s = s + key_bias[b * p.seq + j];".into();
        }
        if self.probs {
            names.push("probs");
            keep = "\n    probs[(bh * p.seq + i) * p.seq + j] = w;".into();
        }
        let code = format!(
            "struct Params {{
  batch: u32, heads: u32, seq: u32, head_dim: u32,
  q_batch: u32, q_head: u32, q_row: u32,
  k_batch: u32, k_head: u32, k_row: u32,
  v_batch: u32, v_head: u32, v_row: u32,
  groups_x: u32, scale: f32,
}}
{bindings}{reductions}var<workgroup> query: array<f32, {MAX_HEAD_DIM}>;
var<workgroup> weights: array<f32, {MAX_SEQ}>;
@compute @workgroup_size({GROUP})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {{
  let unit = min(wg.y * p.groups_x + wg.x, p.batch * p.heads * p.seq - 1u);
  let i = unit % p.seq;
  let bh = unit / p.seq;
  let h = bh % p.heads;
  let b = bh / p.heads;
  let q_at = b * p.q_batch + h * p.q_head + i * p.q_row;
  for (var d = li; d < p.head_dim; d = d + {GROUP}u) {{
    query[d] = (q[q_at + d]{q_bias}) * p.scale;
  }}
  workgroupBarrier();
  var best = -3.4e38;
  for (var j = li; j < p.seq; j = j + {GROUP}u) {{
    let k_at = b * p.k_batch + h * p.k_head + j * p.k_row;
    var s = 0.0;
    for (var d = 0u; d < p.head_dim; d = d + 1u) {{
      s = s + query[d] * (k[k_at + d]{k_bias});
    }}{mask}
    weights[j] = s;
    best = max(best, s);
  }}
  let top = workgroup_max(li, best);
  var sum = 0.0;
  for (var j = li; j < p.seq; j = j + {GROUP}u) {{
    let e = exp(weights[j] - top);
    weights[j] = e;
    sum = sum + e;
  }}
  let norm = 1.0 / workgroup_sum(li, sum);
  for (var j = li; j < p.seq; j = j + {GROUP}u) {{
    let w = weights[j] * norm;
    weights[j] = w;{keep}
  }}
  workgroupBarrier();
  let c_at = (b * p.seq + i) * p.heads * p.head_dim + h * p.head_dim;
  for (var d = li; d < p.head_dim; d = d + {GROUP}u) {{
    var acc = 0.0;
    var v_at = b * p.v_batch + h * p.v_head + d;
    for (var j = 0u; j < p.seq; j = j + 1u) {{
      acc = acc + weights[j] * v[v_at];
      v_at = v_at + p.v_row;
    }}
    context[c_at + d] = acc{v_bias};
  }}
}}
",
            bindings = bindings(&names),
            reductions = reductions(GROUP),
        );
        Wgsl {
            key: format!("attention {self:?}"),
            code,
        }
    }
}

/// A `[batch, heads, seq, head_dim]` view's batch, head and row strides, its last dimension
/// contiguous.
fn strides(t: &CubeTensor, dims: [usize; 4]) -> Option<[u32; 3]> {
    let strides = t.meta.strides();
    if t.meta.shape().as_slice() != dims || (dims[3] > 1 && strides[3] != 1) {
        return None;
    }
    let s = |d: usize| u32::try_from(if dims[d] == 1 { 0 } else { strides[d] }).ok();
    Some([s(0)?, s(1)?, s(2)?])
}

/// The inputs of one attention: queries, keys and values as `[batch, heads, seq, head_dim]`
/// views, with their projection biases `[heads · head_dim]` still to add (all three or none).
pub struct Heads<'a> {
    pub query: &'a CubeTensor,
    pub key: &'a CubeTensor,
    pub value: &'a CubeTensor,
    pub biases: Option<[&'a CubeTensor; 3]>,
}

/// `softmax(q·kᵀ · scale + key_bias) · v` per head, merged to `[batch, seq, heads · head_dim]`,
/// and the probabilities `[batch, heads, seq, seq]` when `keep_probs`; `None` where the kernel does
/// not fit (a sequence longer than `MAX_SEQ`, a head wider than 256, other layouts).
pub fn attention(
    heads: Heads,
    key_bias: Option<&CubeTensor>,
    scale: f64,
    keep_probs: bool,
) -> Option<(CubeTensor, Option<CubeTensor>)> {
    let dims: [usize; 4] = heads.query.meta.shape().as_slice().try_into().ok()?;
    let [batch, num_heads, seq, head_dim] = dims;
    if seq == 0 || seq > MAX_SEQ || head_dim == 0 || head_dim > MAX_HEAD_DIM {
        return None;
    }
    let [q, k, v] = [heads.query, heads.key, heads.value].map(|t| strides(t, dims));
    let width = num_heads * head_dim;
    if heads
        .biases
        .is_some_and(|b| b.iter().any(|t| t.meta.shape().as_slice() != [width]))
        || key_bias.is_some_and(|m| {
            m.meta.shape().as_slice() != [batch, seq] || !super::wgsl::contiguous(m)
        })
    {
        return None;
    }
    let grid = grid(batch * num_heads * seq)?;
    let context = empty(heads.query, vec![batch, seq, width]);
    let probs = keep_probs.then(|| empty(heads.query, vec![batch, num_heads, seq, seq]));
    let variant = Variant {
        biases: heads.biases.is_some(),
        key_bias: key_bias.is_some(),
        probs: keep_probs,
    };
    let mut buffers = vec![
        &heads.query.handle,
        &heads.key.handle,
        &heads.value.handle,
        &context.handle,
    ];
    if let Some(biases) = &heads.biases {
        buffers.extend(biases.iter().map(|t| &t.handle));
    }
    buffers.extend(key_bias.map(|t| &t.handle));
    buffers.extend(probs.as_ref().map(|t| &t.handle));
    let mut params = vec![batch, num_heads, seq, head_dim]
        .into_iter()
        .map(u32::try_from)
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    for s in [q?, k?, v?] {
        params.extend(s);
    }
    params.extend([grid[0], (scale as f32).to_bits()]);
    launch(heads.query, variant.wgsl(), GROUP, grid, &buffers, &params);
    Some((context, probs))
}
