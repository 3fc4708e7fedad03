#include "diffusion/vae.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::diffusion {
namespace {

constexpr double kVaeEps = 1e-6;  // every VAE norm (resnets, attention, conv_norm_out)

Attention::Options mid_attention_options(std::int64_t channels, std::int64_t groups) {
  Attention::Options o;
  o.query_dim = channels;
  o.heads = 1;  // attention_head_dim = channels
  o.dim_head = channels;
  o.bias = true;
  o.norm_num_groups = groups;
  o.norm_eps = kVaeEps;
  o.residual_connection = true;
  return o;
}

}  // namespace

AutoencoderKLConfig AutoencoderKLConfig::from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw_format(file, "config is not a JSON object");
  AutoencoderKLConfig c;
  c.in_channels = json_get<std::int64_t>(j, "in_channels", 3, file);
  c.out_channels = json_get<std::int64_t>(j, "out_channels", 3, file);
  c.latent_channels = json_get<std::int64_t>(j, "latent_channels", 4, file);
  c.block_out_channels = json_require<std::vector<std::int64_t>>(j, "block_out_channels", file);
  c.up_block_types = json_get<std::vector<std::string>>(
      j, "up_block_types", std::vector<std::string>(c.block_out_channels.size(), "UpDecoderBlock2D"), file);
  c.layers_per_block = json_get<std::int64_t>(j, "layers_per_block", 1, file);
  c.norm_num_groups = json_get<std::int64_t>(j, "norm_num_groups", 32, file);
  c.sample_size = json_get<std::int64_t>(j, "sample_size", 32, file);
  c.scaling_factor = json_get<double>(j, "scaling_factor", 0.18215, file);
  auto fail = [&](const std::string& key, const std::string& what) {
    throw_error(ErrorKind::Config, describe(file, "'" + key + "' " + what));
  };
  if (c.block_out_channels.empty()) fail("block_out_channels", "is empty");
  if (c.up_block_types.size() != c.block_out_channels.size())
    fail("up_block_types", "must have one entry per block_out_channels");
  for (const auto& t : c.up_block_types)
    if (t != "UpDecoderBlock2D")
      throw_error(ErrorKind::Unsupported, describe(file, "'up_block_types' block type " + t + " is not supported"));
  for (auto ch : c.block_out_channels)
    if (ch <= 0 || c.norm_num_groups <= 0 || ch % c.norm_num_groups != 0)
      fail("norm_num_groups", "must divide every block_out_channels entry");
  if (c.layers_per_block <= 0) fail("layers_per_block", "must be positive");
  if (c.latent_channels <= 0) fail("latent_channels", "must be positive");
  if (!(c.scaling_factor > 0)) fail("scaling_factor", "must be positive");
  if (auto it = j.find("act_fn"); it != j.end() && !it->is_null() && *it != "silu")
    throw_error(ErrorKind::Unsupported, describe(file, "'act_fn' value " + it->dump() + " is not supported"));
  return c;
}

AutoencoderKLConfig AutoencoderKLConfig::sd21() {
  AutoencoderKLConfig c;
  c.block_out_channels = {128, 256, 512, 512};
  c.up_block_types = std::vector<std::string>(4, "UpDecoderBlock2D");
  c.layers_per_block = 2;
  c.sample_size = 768;
  return c;
}

UpDecoderBlock2D::UpDecoderBlock2D(std::int64_t in, std::int64_t out, std::int64_t num_layers, std::int64_t groups,
                                   bool add_upsample) {
  for (std::int64_t i = 0; i < num_layers; ++i) {
    resnets.push_back(std::make_unique<ResnetBlock2D>(i == 0 ? in : out, out, 0, groups, kVaeEps));
    register_module("resnets." + std::to_string(i), resnets.back().get());
  }
  if (add_upsample) {
    upsampler = std::make_unique<Upsample2D>(out, out);
    register_module("upsamplers.0", upsampler.get());
  }
}

at::Tensor UpDecoderBlock2D::forward(at::Tensor h) const {
  for (const auto& r : resnets) h = r->forward(h);
  return upsampler ? upsampler->forward(h) : h;  // [B,C,H,W] -> [B,C,2H,2W]
}

UNetMidBlock2D::UNetMidBlock2D(std::int64_t channels, std::int64_t groups) {
  resnets.push_back(std::make_unique<ResnetBlock2D>(channels, channels, 0, groups, kVaeEps));
  attention = std::make_unique<Attention>(mid_attention_options(channels, groups));
  resnets.push_back(std::make_unique<ResnetBlock2D>(channels, channels, 0, groups, kVaeEps));
  register_module("attentions.0", attention.get());
  register_module("resnets.0", resnets[0].get());
  register_module("resnets.1", resnets[1].get());
}

at::Tensor UNetMidBlock2D::forward(const at::Tensor& x) const {
  auto h = resnets[0]->forward(x);
  h = attention->forward_spatial(h);
  return resnets[1]->forward(h);
}

AutoencoderKLDecoder::AutoencoderKLDecoder(const AutoencoderKLConfig& c)
    : config(c),
      post_quant_conv(c.latent_channels, c.latent_channels, 1),
      conv_in(c.latent_channels, c.block_out_channels.back(), 3, 1, 1),
      mid_block(c.block_out_channels.back(), c.norm_num_groups),
      conv_norm_out(c.norm_num_groups, c.block_out_channels.front(), kVaeEps),
      conv_out(c.block_out_channels.front(), c.out_channels, 3, 1, 1) {
  register_module("post_quant_conv", &post_quant_conv);
  register_module("decoder.conv_in", &conv_in);
  register_module("decoder.mid_block", &mid_block);
  const std::size_t n = c.block_out_channels.size();
  std::int64_t out = c.block_out_channels[n - 1];
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t in = out;
    out = c.block_out_channels[n - 1 - i];
    up_blocks.push_back(std::make_unique<UpDecoderBlock2D>(in, out, c.layers_per_block + 1, c.norm_num_groups, i + 1 < n));
    register_module("decoder.up_blocks." + std::to_string(i), up_blocks.back().get());
  }
  register_module("decoder.conv_norm_out", &conv_norm_out);
  register_module("decoder.conv_out", &conv_out);
}

void AutoencoderKLDecoder::set_channels_last(bool on) {
  channels_last_ = on;
  const auto format = on ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  for (auto& p : named_parameters())
    if (p.tensor->defined() && p.tensor->dim() == 4) *p.tensor = p.tensor->contiguous(format);
}

at::Tensor AutoencoderKLDecoder::decode_unscaled(const at::Tensor& z_in) const {
  auto z = z_in.to(device(), dtype());
  if (channels_last_) z = z.contiguous(at::MemoryFormat::ChannelsLast);
  auto h = post_quant_conv.forward(z);  // [B,4,h,w]
  h = conv_in.forward(h);               // [B,C_last,h,w]
  h = mid_block.forward(h);
  for (const auto& block : up_blocks) h = block->forward(h);  // -> [B,C0,8h,8w]
  h = at::silu(group_norm(conv_norm_out, h));
  return conv_out.forward(h).contiguous();  // [B,3,8h,8w]
}

at::Tensor AutoencoderKLDecoder::decode(const at::Tensor& latents) const {
  if (latents.dim() != 4 || latents.size(1) != config.latent_channels)
    throw_error(ErrorKind::Config, "AutoencoderKL decode: latents must be [B," + std::to_string(config.latent_channels) +
                                       ",h,w]");
  // The pipeline multiplies by 1/scaling_factor (a double), not a division.
  auto z = latents.to(device(), dtype()) * (1.0 / config.scaling_factor);
  const bool tile = tiling.enabled && (z.size(2) > tiling.tile || z.size(3) > tiling.tile);
  return tile ? decode_tiled(z) : decode_unscaled(z);
}

// Tiles start every (tile - overlap) latent pixels; each decoded tile is weighted by a ramp
// that rises across the overlap on sides shared with a neighbour, and the weighted sum is
// normalised, so seams fade linearly from one tile to the next.
at::Tensor AutoencoderKLDecoder::decode_tiled(const at::Tensor& z) const {
  const std::int64_t tile = std::max<std::int64_t>(tiling.tile, 2);
  const std::int64_t overlap = std::clamp<std::int64_t>(tiling.overlap, 0, tile / 2);
  const std::int64_t stride = tile - overlap;
  const std::int64_t f = config.scale_factor();
  const std::int64_t H = z.size(2), W = z.size(3);
  auto starts = [&](std::int64_t size) {
    std::vector<std::int64_t> s;
    if (size <= tile) return std::vector<std::int64_t>{0};
    for (std::int64_t p = 0;; p += stride) {
      if (p + tile >= size) {
        s.push_back(size - tile);  // last tile flush with the edge
        break;
      }
      s.push_back(p);
    }
    return s;
  };
  const auto ys = starts(H), xs = starts(W);
  // Whole-picture GroupNorm statistics from a decode of the latent shrunk to one tile.
  GroupNormStats stats;
  {
    const double shrink = std::max<double>(1.0, static_cast<double>(std::max(H, W)) / tile);
    const auto sh = std::max<std::int64_t>(1, std::llround(H / shrink));
    const auto sw = std::max<std::int64_t>(1, std::llround(W / shrink));
    auto small = at::adaptive_avg_pool2d(z.to(at::kFloat), {sh, sw}).to(z.scalar_type());  // [B,4,sh,sw]
    GroupNormStatsScope scope(stats);
    decode_unscaled(small);
    stats.recording = false;
  }
  auto fopts = z.options().dtype(at::kFloat);
  auto out = at::zeros({z.size(0), config.out_channels, H * f, W * f}, fopts);
  auto weight = at::zeros({1, 1, H * f, W * f}, fopts);
  // Ramp over the overlap in image pixels: (i + 0.5) / n for i < n.
  auto ramp = [&](std::int64_t len, bool rise_start, bool fall_end, std::int64_t n) {
    auto w = at::ones({len}, fopts);
    if (n > 0) {
      auto r = (at::arange(n, fopts) + 0.5) / static_cast<double>(n);
      if (rise_start) w.slice(0, 0, n).mul_(r);
      if (fall_end) w.slice(0, len - n, len).mul_(r.flip(0));
    }
    return w;
  };
  for (std::size_t yi = 0; yi < ys.size(); ++yi) {
    for (std::size_t xi = 0; xi < xs.size(); ++xi) {
      const auto y0 = ys[yi], x0 = xs[xi];
      const auto th = std::min(tile, H), tw = std::min(tile, W);
      stats.next = 0;
      GroupNormStatsScope scope(stats);
      auto piece = decode_unscaled(z.slice(2, y0, y0 + th).slice(3, x0, x0 + tw)).to(at::kFloat);  // [B,3,th*f,tw*f]
      // Overlap with the previous/next tile along each axis, in image pixels.
      const auto oy_prev = yi > 0 ? (ys[yi - 1] + th - y0) * f : 0;
      const auto oy_next = yi + 1 < ys.size() ? (y0 + th - ys[yi + 1]) * f : 0;
      const auto ox_prev = xi > 0 ? (xs[xi - 1] + tw - x0) * f : 0;
      const auto ox_next = xi + 1 < xs.size() ? (x0 + tw - xs[xi + 1]) * f : 0;
      auto wy = ramp(th * f, oy_prev > 0, false, oy_prev) * ramp(th * f, false, oy_next > 0, oy_next);
      auto wx = ramp(tw * f, ox_prev > 0, false, ox_prev) * ramp(tw * f, false, ox_next > 0, ox_next);
      auto w = (wy.unsqueeze(1) * wx.unsqueeze(0)).unsqueeze(0).unsqueeze(0);  // [1,1,th*f,tw*f]
      out.slice(2, y0 * f, (y0 + th) * f).slice(3, x0 * f, (x0 + tw) * f).add_(piece * w);
      weight.slice(2, y0 * f, (y0 + th) * f).slice(3, x0 * f, (x0 + tw) * f).add_(w);
    }
  }
  return (out / weight).to(dtype());
}

}  // namespace seedcanvas::diffusion
