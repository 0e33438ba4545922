//! Matrix products for software WebGPU adapters (SwiftShader in Chromium, lavapipe, WARP): WGSL
//! kernels in which each invocation keeps a block of the output in registers and reads its
//! operands straight from the buffers. A CPU running a GPU's kernels pays for every array access
//! and every workgroup barrier: cubecl's general tiled kernel (shared-memory tiles, local arrays)
//! ran at 0.1–0.5 GFLOP/s on SwiftShader, these at 3–8 (`docs/ARCHITECTURE.md` has the figures).
//! Real GPUs keep burn's kernels: `kernels/matmul.rs` decides.
//!
//! Two layouts cover every product the encoders take:
//! - rows × columns: the right operand's rows are contiguous along the output columns (weights,
//!   attention values); each invocation computes up to 16 rows × 4 `vec4` columns. Any inner
//!   length: the left operand is read as `vec4`s when its rows allow, else by its strides.
//! - rows × rows: the right operand is a transposed view, contiguous along the inner dimension
//!   (attention keys, the tied word table); each invocation computes up to 4 rows × 8 columns
//!   as dot products of `vec4`s. Any number of output columns.
//!
//! Up to two batch dimensions (batch and heads); the right operand may be broadcast over them.
//! Anything else (other element types, unaligned views) is `None` and burn's matmul runs.

use burn::tensor::{DType, Shape};
use burn_cubecl::cubecl::prelude::{CubeCount, CubeDim, KernelId};
use burn_cubecl::cubecl::server::KernelArguments;
use burn_cubecl::template::{KernelSource, SourceKernel, SourceTemplate};
use burn_cubecl::tensor::CubeTensor;

/// Invocations per workgroup: few, so that small products still spread over the CPU's cores.
const GROUP: u32 = 16;
/// The most workgroups one dispatch dimension may hold.
const MAX_GROUPS: u32 = 65_535;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Layout {
    /// `b` is `[k, n]` with `n` contiguous.
    RowsByColumns,
    /// `b` is `[n, k]` (a transposed view) with `k` contiguous.
    RowsByRows,
}

/// One generated kernel: its layout, the block of outputs each invocation keeps (`rows` ×
/// `columns`, columns in `vec4`s for rows × columns), whether it adds a bias to each output row,
/// and whether the left operand is read as `vec4`s (its rows contiguous and 4-aligned; strides
/// and the inner length then count `vec4`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Variant {
    layout: Layout,
    rows: u32,
    columns: u32,
    bias: bool,
    vec_lhs: bool,
}

impl KernelSource for Variant {
    fn source(&self) -> SourceTemplate {
        SourceTemplate::new(self.wgsl())
    }

    fn id(&self) -> KernelId {
        KernelId::new::<Self>().info(*self)
    }

    fn lang(&self) -> &'static str {
        "wgsl"
    }
}

/// What every kernel starts with: its parameters (in `u32`s), bindings, and which block of which
/// batch × head this invocation computes. Every binding is `read_write`: cubecl places tensors in
/// shared pages, and one buffer bound both read-only and writable in a dispatch is invalid.
fn preamble(lhs: &str, rhs: &str, out: &str, bias: bool) -> String {
    let bias = if bias {
        "@group(0) @binding(4) var<storage, read_write> bias: array<vec4<f32>>;\n"
    } else {
        ""
    };
    format!(
        "struct Params {{
  m: u32, k: u32, n: u32, heads: u32,
  a_batch: u32, a_head: u32, a_row: u32, a_col: u32,
  b_batch: u32, b_head: u32, b_row: u32, groups_x: u32,
}}
@group(0) @binding(0) var<storage, read_write> a: array<{lhs}>;
@group(0) @binding(1) var<storage, read_write> b: array<{rhs}>;
@group(0) @binding(2) var<storage, read_write> c: array<{out}>;
@group(0) @binding(3) var<storage, read_write> p: Params;
{bias}@compute @workgroup_size({GROUP})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {{
  let unit = (wg.y * p.groups_x + wg.x) * {GROUP}u + li;
  let batch = wg.z / p.heads;
  let head = wg.z % p.heads;
  let a_at = batch * p.a_batch + head * p.a_head;
  let b_at = batch * p.b_batch + head * p.b_head;
  let c_at = wg.z * p.m;
"
    )
}

/// The block's first row and column, and the (clamped) start of each of its rows in `a` and,
/// for rows × rows, of each of its columns in `b`.
fn block(rows: u32, columns: u32, b_rows: bool) -> String {
    let mut s = format!(
        "  let col_blocks = (p.n + {columns}u - 1u) / {columns}u;
  if (unit >= (p.m + {rows}u - 1u) / {rows}u * col_blocks) {{ return; }}
  let col0 = (unit % col_blocks) * {columns}u;
  let row0 = (unit / col_blocks) * {rows}u;
"
    );
    for r in 0..rows {
        s += &format!("  let a{r} = a_at + min(row0 + {r}u, p.m - 1u) * p.a_row;\n");
    }
    for j in 0..columns {
        if b_rows {
            s += &format!("  let b{j} = b_at + min(col0 + {j}u, p.n - 1u) * p.b_row;\n");
        } else {
            s += &format!("  let b{j} = b_at + min(col0 + {j}u, p.n - 1u);\n");
        }
    }
    s
}

/// Stores the block's outputs that fall inside `c` and closes the kernel.
fn store(rows: u32, columns: u32, bias: bool) -> String {
    let mut s = String::new();
    for r in 0..rows {
        for j in 0..columns {
            let add = if bias {
                format!(" + bias[col0 + {j}u]")
            } else {
                String::new()
            };
            s += &format!(
                "  if (row0 + {r}u < p.m && col0 + {j}u < p.n) {{ c[(c_at + row0 + {r}u) * p.n + col0 + {j}u] = s{r}_{j}{add}; }}\n"
            );
        }
    }
    s + "}\n"
}

fn accumulators(rows: u32, columns: u32, zero: &str) -> String {
    let mut s = String::new();
    for r in 0..rows {
        for j in 0..columns {
            s += &format!("  var s{r}_{j} = {zero};\n");
        }
    }
    s
}

impl Variant {
    fn wgsl(&self) -> String {
        let (rows, columns) = (self.rows, self.columns);
        match self.layout {
            Layout::RowsByColumns => {
                let lhs = if self.vec_lhs { "vec4<f32>" } else { "f32" };
                let mut s = preamble(lhs, "vec4<f32>", "vec4<f32>", self.bias);
                s += &block(rows, columns, false);
                s += &accumulators(rows, columns, "vec4<f32>()");
                s += &if self.vec_lhs {
                    rows_by_columns_vec4(rows, columns)
                } else {
                    rows_by_columns_scalar(rows, columns)
                };
                s + &store(rows, columns, self.bias)
            }
            Layout::RowsByRows => {
                let mut s = preamble("vec4<f32>", "vec4<f32>", "f32", false);
                s += &block(rows, columns, true);
                s += &accumulators(rows, columns, "0.0");
                let loads = (0..columns).map(|j| format!("    let y{j} = b[b{j} + k];\n"));
                s += &k_loop(&loads.collect::<String>(), "k", rows, columns, |r, j| {
                    format!("dot(x{r}, y{j})")
                });
                s + &store(rows, columns, false)
            }
        }
    }
}

/// The loop over the inner dimension: `head` (this step's reads of `b`), then each row's value
/// `x{r} = a[a{r} + lhs_at]` and each output's update `s{r}_{j} += term(r, j)`.
fn k_loop(
    head: &str,
    lhs_at: &str,
    rows: u32,
    columns: u32,
    term: impl Fn(u32, u32) -> String,
) -> String {
    let mut s = format!("  for (var k = 0u; k < p.k; k += 1u) {{\n{head}");
    for r in 0..rows {
        s += &format!("    let x{r} = a[a{r} + {lhs_at}];\n");
        for j in 0..columns {
            s += &format!("    s{r}_{j} += {};\n", term(r, j));
        }
    }
    s + "  }\n"
}

/// `s[r][j] += Σ a[r, k..k+4] · b[k..k+4, j]`, the left operand read as `vec4`s.
fn rows_by_columns_vec4(rows: u32, columns: u32) -> String {
    let mut head = String::from("    let kb = k * 4u * p.b_row;\n");
    for q in 0..4 {
        for j in 0..columns {
            head += &format!("    let y{q}_{j} = b[b{j} + kb + {q}u * p.b_row];\n");
        }
    }
    k_loop(&head, "k", rows, columns, |r, j| {
        format!("x{r}.x * y0_{j} + x{r}.y * y1_{j} + x{r}.z * y2_{j} + x{r}.w * y3_{j}")
    })
}

/// The same with the left operand read one number at a time by its strides (any inner length).
fn rows_by_columns_scalar(rows: u32, columns: u32) -> String {
    let mut head = String::from("    let kb = k * p.b_row;\n    let ka = k * p.a_col;\n");
    for j in 0..columns {
        head += &format!("    let y{j} = b[b{j} + kb];\n");
    }
    k_loop(&head, "ka", rows, columns, |r, j| format!("x{r} * y{j}"))
}

/// A tensor's batch, head, row and column strides and sizes, batch dimensions padded to two.
struct View {
    sizes: [usize; 4],
    strides: [usize; 4],
}

impl View {
    fn of(tensor: &CubeTensor) -> Option<Self> {
        let rank = tensor.meta.num_dims();
        if !(2..=4).contains(&rank) {
            return None;
        }
        let (shape, strides) = (tensor.meta.shape(), tensor.meta.strides());
        let mut view = View {
            sizes: [1; 4],
            strides: [0; 4],
        };
        for d in 0..rank {
            view.sizes[4 - rank + d] = shape[d];
            view.strides[4 - rank + d] = strides[d];
        }
        Some(view)
    }

    /// The stride of batch dimension `d`, or 0 where this operand is broadcast over it.
    fn batch_stride(&self, d: usize) -> usize {
        if self.sizes[d] == 1 {
            0
        } else {
            self.strides[d]
        }
    }
}

/// Whether the kernels can bind this tensor: f32, its own buffer from the start (so `vec4`
/// reads stay aligned).
fn bindable(tensor: &CubeTensor) -> bool {
    tensor.dtype == DType::F32 && tensor.handle.offset_start.unwrap_or(0) == 0
}

/// `lhs · rhs` (+ `bias` over the last dimension) with burn's matmul broadcasting, or `None`
/// where these kernels do not fit the operands (then the caller runs burn's).
pub fn matmul(lhs: &CubeTensor, rhs: &CubeTensor, bias: Option<&CubeTensor>) -> Option<CubeTensor> {
    if !bindable(lhs) || !bindable(rhs) || bias.is_some_and(|b| !bindable(b)) {
        return None;
    }
    let (a, b) = (View::of(lhs)?, View::of(rhs)?);
    if lhs.meta.num_dims() != rhs.meta.num_dims() {
        return None;
    }
    let [_, _, m, k] = a.sizes;
    let n = b.sizes[3];
    if b.sizes[2] != k || m == 0 || n == 0 || k == 0 {
        return None;
    }
    for d in 0..2 {
        if b.sizes[d] != a.sizes[d] && b.sizes[d] != 1 {
            return None;
        }
    }
    let batches = a.sizes[0] * a.sizes[1];
    let layout = if b.strides[3] == 1 && n.is_multiple_of(4) {
        Layout::RowsByColumns
    } else if b.strides[2] == 1 && a.strides[3] == 1 && k.is_multiple_of(4) && bias.is_none() {
        Layout::RowsByRows
    } else {
        return None;
    };
    let bias_fits = |bias: &CubeTensor| {
        bias.meta.num_dims() == 1 && bias.meta.shape()[0] == n && layout == Layout::RowsByColumns
    };
    if bias.is_some_and(|bias| !bias_fits(bias)) {
        return None;
    }
    // Strides of operands read as vec4s, in vec4s.
    let quarter = |x: usize| x.is_multiple_of(4).then_some(x / 4);
    // Taller blocks share each load of `b` among more rows (16 rows × 4 columns ran fastest on
    // SwiftShader); short products take what they have.
    let rows = (m.next_power_of_two() as u32).min(16);
    let (variant, params) = match layout {
        Layout::RowsByColumns => {
            let lhs_strides = [a.batch_stride(0), a.batch_stride(1), a.strides[2]];
            let vec_lhs = a.strides[3] == 1
                && k.is_multiple_of(4)
                && lhs_strides.iter().all(|s| s.is_multiple_of(4));
            let [batch, head, row] = lhs_strides.map(|s| if vec_lhs { s / 4 } else { s });
            let columns = [4u32, 2, 1]
                .into_iter()
                .find(|&c| (n / 4).is_multiple_of(c as usize))
                .unwrap_or(1);
            let params = [
                m,
                if vec_lhs { k / 4 } else { k },
                n / 4,
                a.sizes[1],
                batch,
                head,
                row,
                a.strides[3],
                quarter(b.batch_stride(0))?,
                quarter(b.batch_stride(1))?,
                quarter(b.strides[2])?,
            ];
            (
                Variant {
                    layout,
                    rows,
                    columns,
                    bias: bias.is_some(),
                    vec_lhs,
                },
                params,
            )
        }
        Layout::RowsByRows => {
            let params = [
                m,
                k / 4,
                n,
                a.sizes[1],
                quarter(a.batch_stride(0))?,
                quarter(a.batch_stride(1))?,
                quarter(a.strides[2])?,
                1,
                quarter(b.batch_stride(0))?,
                quarter(b.batch_stride(1))?,
                quarter(b.strides[3])?,
            ];
            let rows = rows.min(4);
            let columns = 8 / rows;
            (
                Variant {
                    layout,
                    rows,
                    columns,
                    bias: false,
                    vec_lhs: true,
                },
                params,
            )
        }
    };
    let units = m.div_ceil(variant.rows as usize) * params[2].div_ceil(variant.columns as usize);
    let groups = u32::try_from(units.div_ceil(GROUP as usize)).ok()?;
    let groups_x = groups.min(MAX_GROUPS);
    let groups_y = groups.div_ceil(groups_x);
    if groups_y > MAX_GROUPS || batches > MAX_GROUPS as usize {
        return None;
    }
    let mut words = Vec::with_capacity(12);
    for value in params {
        words.push(u32::try_from(value).ok()?);
    }
    words.push(groups_x);
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();

    let client = lhs.client.clone();
    let shape = Shape::from(
        lhs.meta.shape()[..lhs.meta.num_dims() - 1]
            .iter()
            .copied()
            .chain([n])
            .collect::<Vec<_>>(),
    );
    let output = client.empty(batches * m * n * 4);
    let params = client.create_from_slice(&bytes);
    let mut arguments = KernelArguments::new()
        .with_buffer(lhs.handle.clone().binding())
        .with_buffer(rhs.handle.clone().binding())
        .with_buffer(output.clone().binding())
        .with_buffer(params.binding());
    if let Some(bias) = bias {
        arguments = arguments.with_buffer(bias.handle.clone().binding());
    }
    client.launch(
        Box::new(SourceKernel::new(variant, CubeDim::new_1d(GROUP))),
        CubeCount::Static(groups_x, groups_y, batches as u32),
        arguments,
    );
    Some(CubeTensor::new_contiguous(
        client,
        lhs.device.clone(),
        shape,
        output,
        DType::F32,
    ))
}
