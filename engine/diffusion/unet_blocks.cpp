#include "diffusion/unet_blocks.h"

#include <ATen/ATen.h>

namespace seedcanvas::diffusion {
namespace {

std::unique_ptr<Transformer2DModel> make_transformer(const UNet2DConditionConfig& c, const BlockSpec& s,
                                                     std::int64_t channels) {
  return std::make_unique<Transformer2DModel>(s.heads, channels / s.heads, channels, s.transformer_layers,
                                              s.cross_attention_dim, c.norm_num_groups, c.use_linear_projection);
}

}  // namespace

UNetDownBlock::UNetDownBlock(const UNet2DConditionConfig& c, const BlockSpec& s, std::int64_t in, std::int64_t out,
                             bool add_downsample) {
  for (std::int64_t i = 0; i < s.num_layers; ++i) {
    resnets.push_back(std::make_unique<ResnetBlock2D>(i == 0 ? in : out, out, c.time_embed_dim(), c.norm_num_groups,
                                                      c.norm_eps));
    register_module("resnets." + std::to_string(i), resnets.back().get());
    if (s.cross_attention) {
      attentions.push_back(make_transformer(c, s, out));
      register_module("attentions." + std::to_string(i), attentions.back().get());
    }
  }
  if (add_downsample) {
    downsampler = std::make_unique<Downsample2D>(out, out, c.downsample_padding);
    register_module("downsamplers.0", downsampler.get());
  }
}

void UNetDownBlock::forward(at::Tensor& h, const at::Tensor& temb, const at::Tensor& context,
                            std::vector<at::Tensor>& skips) const {
  for (std::size_t i = 0; i < resnets.size(); ++i) {
    h = resnets[i]->forward(h, temb);
    if (!attentions.empty()) h = attentions[i]->forward(h, context);
    skips.push_back(h);
  }
  if (downsampler) {
    h = downsampler->forward(h);  // [B,C,H,W] -> [B,C,ceil(H/2),ceil(W/2)]
    skips.push_back(h);
  }
}

UNetMidBlock2DCrossAttn::UNetMidBlock2DCrossAttn(const UNet2DConditionConfig& c, const BlockSpec& s,
                                                 std::int64_t channels, std::int64_t temb) {
  auto resnet = [&] {
    return std::make_unique<ResnetBlock2D>(channels, channels, temb, c.norm_num_groups, c.norm_eps,
                                           c.mid_block_scale_factor);
  };
  resnets.push_back(resnet());
  register_module("resnets.0", resnets.back().get());
  for (std::int64_t i = 0; i < s.num_layers; ++i) {
    attentions.push_back(make_transformer(c, s, channels));
    register_module("attentions." + std::to_string(i), attentions.back().get());
    resnets.push_back(resnet());
    register_module("resnets." + std::to_string(i + 1), resnets.back().get());
  }
}

at::Tensor UNetMidBlock2DCrossAttn::forward(const at::Tensor& x, const at::Tensor& temb,
                                            const at::Tensor& context) const {
  auto h = resnets[0]->forward(x, temb);
  for (std::size_t i = 0; i < attentions.size(); ++i) {
    h = attentions[i]->forward(h, context);
    h = resnets[i + 1]->forward(h, temb);
  }
  return h;
}

UNetUpBlock::UNetUpBlock(const UNet2DConditionConfig& c, const BlockSpec& s, std::int64_t in, std::int64_t prev_out,
                         std::int64_t out, bool add_upsample) {
  for (std::int64_t i = 0; i < s.num_layers; ++i) {
    // The last resnet takes the skip from before this stage's counterpart (in channels).
    const std::int64_t skip = i == s.num_layers - 1 ? in : out;
    const std::int64_t resnet_in = i == 0 ? prev_out : out;
    resnets.push_back(std::make_unique<ResnetBlock2D>(resnet_in + skip, out, c.time_embed_dim(), c.norm_num_groups,
                                                      c.norm_eps));
    register_module("resnets." + std::to_string(i), resnets.back().get());
    if (s.cross_attention) {
      attentions.push_back(make_transformer(c, s, out));
      register_module("attentions." + std::to_string(i), attentions.back().get());
    }
  }
  if (add_upsample) {
    upsampler = std::make_unique<Upsample2D>(out, out);
    register_module("upsamplers.0", upsampler.get());
  }
}

at::Tensor UNetUpBlock::forward(at::Tensor h, const at::Tensor& temb, const at::Tensor& context,
                                std::vector<at::Tensor>& skips, const std::vector<std::int64_t>& upsample_size) const {
  for (std::size_t i = 0; i < resnets.size(); ++i) {
    h = at::cat({h, skips.back()}, 1);  // [B,C+skip,H,W]
    skips.pop_back();
    h = resnets[i]->forward(h, temb);
    if (!attentions.empty()) h = attentions[i]->forward(h, context);
  }
  if (upsampler) {
    if (upsample_size.empty())
      h = upsampler->forward(h);
    else
      h = upsampler->forward(h, upsample_size);  // [B,C,H,W] -> [B,C,h',w'] of the next skip
  }
  return h;
}

}  // namespace seedcanvas::diffusion
