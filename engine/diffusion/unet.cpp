#include "diffusion/unet.h"

#include <ATen/ATen.h>

#include "core/error.h"

namespace seedcanvas::diffusion {
namespace {

std::string shape_str(at::IntArrayRef s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "]";
}

[[noreturn]] void bad_input(const std::string& what) { throw_error(ErrorKind::Config, "UNet2DConditionModel: " + what); }

}  // namespace

UNet2DConditionModel::UNet2DConditionModel(const UNet2DConditionConfig& c)
    : config(c),
      time_embedding(c.block_out_channels[0], c.time_embed_dim()),
      conv_in(c.in_channels, c.block_out_channels[0], c.conv_in_kernel, 1, (c.conv_in_kernel - 1) / 2),
      conv_norm_out(c.norm_num_groups, c.block_out_channels[0], c.norm_eps),
      conv_out(c.block_out_channels[0], c.out_channels, c.conv_out_kernel, 1, (c.conv_out_kernel - 1) / 2) {
  const std::size_t n = c.block_out_channels.size();
  register_module("time_embedding", &time_embedding);
  if (c.class_embed_type == "projection") {
    class_embedding = std::make_unique<TimestepEmbedding>(c.projection_class_embeddings_input_dim, c.time_embed_dim());
    register_module("class_embedding", class_embedding.get());
  }
  register_module("conv_in", &conv_in);

  std::int64_t out = c.block_out_channels[0];
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t in = out;
    out = c.block_out_channels[i];
    BlockSpec s{c.layers_per_block[i], c.down_block_types[i] == "CrossAttnDownBlock2D", c.num_attention_heads[i],
                c.cross_attention_dim[i], c.transformer_layers_per_block[i]};
    down_blocks.push_back(std::make_unique<UNetDownBlock>(c, s, in, out, i + 1 < n));
    register_module("down_blocks." + std::to_string(i), down_blocks.back().get());
  }

  BlockSpec mid{1, true, c.num_attention_heads.back(), c.cross_attention_dim.back(),
                c.transformer_layers_per_block.back()};
  mid_block = std::make_unique<UNetMidBlock2DCrossAttn>(c, mid, c.block_out_channels.back(), c.time_embed_dim());
  register_module("mid_block", mid_block.get());

  // Up stages mirror the down stages (per-block lists reversed).
  out = c.block_out_channels[n - 1];
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = n - 1 - i;
    const std::int64_t prev_out = out;
    out = c.block_out_channels[r];
    const std::int64_t in = c.block_out_channels[r == 0 ? 0 : r - 1];
    BlockSpec s{c.layers_per_block[r] + 1, c.up_block_types[i] == "CrossAttnUpBlock2D", c.num_attention_heads[r],
                c.cross_attention_dim[r], c.transformer_layers_per_block[r]};
    up_blocks.push_back(std::make_unique<UNetUpBlock>(c, s, in, prev_out, out, i + 1 < n));
    register_module("up_blocks." + std::to_string(i), up_blocks.back().get());
  }
  register_module("conv_norm_out", &conv_norm_out);
  register_module("conv_out", &conv_out);
}

void UNet2DConditionModel::set_channels_last(bool on) {
  channels_last_ = on;
  const auto format = on ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  for (auto& p : named_parameters())
    if (p.tensor->defined() && p.tensor->dim() == 4) *p.tensor = p.tensor->contiguous(format);
}

at::Tensor UNet2DConditionModel::forward(const at::Tensor& sample_in, const at::Tensor& timestep,
                                         const at::Tensor& encoder_hidden_states,
                                         const at::Tensor& class_labels) const {
  if (sample_in.dim() != 4 || sample_in.size(1) != config.in_channels)
    bad_input("sample must be [B," + std::to_string(config.in_channels) + ",h,w], got " + shape_str(sample_in.sizes()));
  const auto batch = sample_in.size(0);
  if (!timestep.defined() || timestep.dim() > 1 || (timestep.numel() != 1 && timestep.numel() != batch))
    bad_input("timestep must hold 1 or B values");
  if (encoder_hidden_states.dim() != 3 || encoder_hidden_states.size(0) != batch ||
      encoder_hidden_states.size(2) != config.cross_attention_dim[0])
    bad_input("encoder_hidden_states must be [B,L," + std::to_string(config.cross_attention_dim[0]) + "], got " +
              shape_str(encoder_hidden_states.sizes()));
  if (class_embedding) {
    if (!class_labels.defined() || class_labels.dim() != 2 || class_labels.size(0) != batch ||
        class_labels.size(1) != config.projection_class_embeddings_input_dim)
      bad_input("class_labels must be [B," + std::to_string(config.projection_class_embeddings_input_dim) + "]");
  }
  const auto dtype = this->dtype();
  const auto device = this->device();
  auto sample = sample_in.to(device, dtype);
  if (channels_last_) sample = sample.contiguous(at::MemoryFormat::ChannelsLast);
  const auto context = encoder_hidden_states.to(device, dtype);

  // 1. time (+ class) embedding: sinusoid in fp32, then the model dtype.
  auto t = timestep.to(device).reshape({-1}).expand({batch});
  auto t_emb = get_timestep_embedding(t, config.block_out_channels[0], config.flip_sin_to_cos, config.freq_shift)
                   .to(dtype);                           // [B,C0]
  auto emb = time_embedding.forward(t_emb);              // [B,4*C0]
  if (class_embedding) emb = emb + class_embedding->forward(class_labels.to(device, dtype));

  // 2. down: the skip list starts with conv_in's output.
  auto h = conv_in.forward(sample);  // [B,C0,h,w]
  std::vector<at::Tensor> skips{h};
  for (const auto& block : down_blocks) block->forward(h, emb, context, skips);

  // 3. mid
  h = mid_block->forward(h, emb, context);

  // 4. up: each stage pops its skips; upsampling targets the next skip's size (odd inputs).
  for (std::size_t i = 0; i < up_blocks.size(); ++i) {
    const auto& block = up_blocks[i];
    std::vector<std::int64_t> size;
    if (block->upsampler) {
      const auto& next = skips[skips.size() - block->resnets.size() - 1];
      size = {next.size(2), next.size(3)};
    }
    h = block->forward(h, emb, context, skips, size);
  }

  // 5. out
  h = at::silu(group_norm(conv_norm_out, h));
  return conv_out.forward(h).contiguous();  // [B,out,h,w]
}

}  // namespace seedcanvas::diffusion
