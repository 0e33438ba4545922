//! What the hand-written WGSL kernels share: the kernel source handed to cubecl (named by a key
//! that tells its variants apart), the tensors they bind, and one launch — parameters in a small
//! storage buffer, workgroups spread over two dispatch dimensions when one would hold too few.

use burn::tensor::{DType, Shape};
use burn_cubecl::cubecl::prelude::{CubeCount, CubeDim, KernelId};
use burn_cubecl::cubecl::server::{Handle, KernelArguments};
use burn_cubecl::template::{KernelSource, SourceKernel, SourceTemplate};
use burn_cubecl::tensor::CubeTensor;

/// The most workgroups one dispatch dimension may hold.
const MAX_GROUPS: u32 = 65_535;

/// One generated kernel: `key` names the variant (cubecl caches the compiled pipeline by it),
/// `code` is its WGSL.
pub struct Wgsl {
    pub key: String,
    pub code: String,
}

impl KernelSource for Wgsl {
    fn source(&self) -> SourceTemplate {
        SourceTemplate::new(self.code.clone())
    }

    fn id(&self) -> KernelId {
        KernelId::new::<Self>().info(self.key.clone())
    }

    fn lang(&self) -> &'static str {
        "wgsl"
    }
}

/// Whether a kernel can bind this tensor as a plain array: f32, contiguous in its own buffer from
/// the start.
pub fn bindable(tensor: &CubeTensor) -> bool {
    tensor.dtype == DType::F32 && tensor.handle.offset_start.unwrap_or(0) == 0
}

/// Whether `tensor` is laid out row after row (the last dimension contiguous, no gaps).
pub fn contiguous(tensor: &CubeTensor) -> bool {
    let (shape, strides) = (tensor.meta.shape(), tensor.meta.strides());
    let mut expected = 1;
    for d in (0..shape.len()).rev() {
        if shape[d] != 1 && strides[d] != expected {
            return false;
        }
        expected *= shape[d];
    }
    true
}

/// The workgroup grid for `groups` workgroups: `[x, y]` with `x · y ≥ groups`; kernels find their
/// index as `wg.y · groups_x + wg.x` and clamp it to the last (a spare group repeats its work).
pub fn grid(groups: usize) -> Option<[u32; 2]> {
    let groups = u32::try_from(groups.max(1)).ok()?;
    let x = groups.min(MAX_GROUPS);
    let y = groups.div_ceil(x);
    (y <= MAX_GROUPS).then_some([x, y])
}

/// Launches `kernel` over `grid` workgroups of `group` invocations, binding `buffers` in order and
/// then `params` (32-bit words) as the last binding.
pub fn launch(
    like: &CubeTensor,
    kernel: Wgsl,
    group: u32,
    [x, y]: [u32; 2],
    buffers: &[&Handle],
    params: &[u32],
) {
    let client = like.client.clone();
    let bytes: Vec<u8> = params.iter().flat_map(|w| w.to_le_bytes()).collect();
    let params = client.create_from_slice(&bytes);
    let mut arguments = KernelArguments::new();
    for buffer in buffers {
        arguments = arguments.with_buffer((*buffer).clone().binding());
    }
    arguments = arguments.with_buffer(params.binding());
    client.launch(
        Box::new(SourceKernel::new(kernel, CubeDim::new_1d(group))),
        CubeCount::Static(x, y, 1),
        arguments,
    );
}

/// A new f32 tensor of `shape` on `like`'s device, for a kernel to write.
pub fn empty(like: &CubeTensor, shape: Vec<usize>) -> CubeTensor {
    let count: usize = shape.iter().product();
    let handle = like.client.empty(count * 4);
    CubeTensor::new_contiguous(
        like.client.clone(),
        like.device.clone(),
        Shape::from(shape),
        handle,
        DType::F32,
    )
}

/// The `@group(0)` binding lines for `names` (each an `array<f32>`), then `p: Params`.
pub fn bindings(names: &[&str]) -> String {
    let mut s = String::new();
    for (i, name) in names.iter().enumerate() {
        s += &format!("@group(0) @binding({i}) var<storage, read_write> {name}: array<f32>;\n");
    }
    s + &format!(
        "@group(0) @binding({}) var<storage, read_write> p: Params;\n",
        names.len()
    )
}

/// A workgroup's sum and maximum of one value per invocation, for `size` invocations (a power of
/// two): each returns the same result to every invocation and must be reached by all of them.
pub fn reductions(size: u32) -> String {
    format!(
        "var<workgroup> partial: array<f32, {size}>;
fn workgroup_sum(li: u32, value: f32) -> f32 {{
  partial[li] = value;
  workgroupBarrier();
  for (var step = {half}u; step > 0u; step = step >> 1u) {{
    if (li < step) {{ partial[li] = partial[li] + partial[li + step]; }}
    workgroupBarrier();
  }}
  let result = partial[0];
  workgroupBarrier();
  return result;
}}
fn workgroup_max(li: u32, value: f32) -> f32 {{
  partial[li] = value;
  workgroupBarrier();
  for (var step = {half}u; step > 0u; step = step >> 1u) {{
    if (li < step) {{ partial[li] = max(partial[li], partial[li + step]); }}
    workgroupBarrier();
  }}
  let result = partial[0];
  workgroupBarrier();
  return result;
}}
",
        half = size / 2
    )
}
