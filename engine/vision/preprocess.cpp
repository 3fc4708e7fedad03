// PIL 9.4 libImaging/Resample.c semantics (precompute_coeffs, normalize_coeffs_8bpc,
// ImagingResampleHorizontal/Vertical_8bpc), re-derived for interleaved RGB8.
#include "vision/preprocess.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"

namespace seedcanvas::vision {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // PIL's fixed-point fraction bits

double bilinear_filter(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

double bicubic_filter(double x) {
  constexpr double a = -0.5;  // PIL's (and Keys') choice
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

// For each output index: first input index, tap count and fixed-point weights.
struct Coeffs {
  int ksize = 0;
  std::vector<int> start, count;
  std::vector<std::int32_t> weights;  // out * ksize
};

Coeffs precompute(int in_size, int out_size, Resample resample) {
  const double support0 = resample == Resample::Bicubic ? 2.0 : 1.0;
  const double scale = static_cast<double>(in_size) / out_size;
  const double filterscale = std::max(scale, 1.0);  // widen the filter only when shrinking
  const double support = support0 * filterscale;
  Coeffs c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.start.resize(out_size), c.count.resize(out_size);
  c.weights.assign(static_cast<std::size_t>(out_size) * c.ksize, 0);
  std::vector<double> k(c.ksize);
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    const double ss = 1.0 / filterscale;
    int xmin = static_cast<int>(center - support + 0.5);  // truncation, as the C cast does
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double ww = 0.0;
    for (int x = 0; x < xmax; ++x) {
      const double t = (x + xmin - center + 0.5) * ss;
      k[x] = resample == Resample::Bicubic ? bicubic_filter(t) : bilinear_filter(t);
      ww += k[x];
    }
    for (int x = 0; x < xmax; ++x) {
      const double w = ww != 0.0 ? k[x] / ww : k[x];
      // normalize_coeffs_8bpc: round half away from zero into fixed point
      c.weights[static_cast<std::size_t>(xx) * c.ksize + x] =
          static_cast<std::int32_t>(w < 0 ? -0.5 + w * (1 << kPrecisionBits) : 0.5 + w * (1 << kPrecisionBits));
    }
    c.start[xx] = xmin, c.count[xx] = xmax;
  }
  return c;
}

std::uint8_t clip8(std::int64_t v) {
  v >>= kPrecisionBits;
  return static_cast<std::uint8_t>(std::clamp<std::int64_t>(v, 0, 255));
}

RgbImage resample_horizontal(const RgbImage& in, int out_w, Resample r) {
  const Coeffs c = precompute(in.width, out_w, r);
  RgbImage out = RgbImage::blank(out_w, in.height);
  for (int y = 0; y < in.height; ++y) {
    for (int xx = 0; xx < out_w; ++xx) {
      const std::int32_t* k = &c.weights[static_cast<std::size_t>(xx) * c.ksize];
      for (int ch = 0; ch < 3; ++ch) {
        std::int64_t ss = 1 << (kPrecisionBits - 1);
        for (int x = 0; x < c.count[xx]; ++x) ss += std::int64_t(in.at(c.start[xx] + x, y)[ch]) * k[x];
        out.at(xx, y)[ch] = clip8(ss);
      }
    }
  }
  return out;
}

RgbImage resample_vertical(const RgbImage& in, int out_h, Resample r) {
  const Coeffs c = precompute(in.height, out_h, r);
  RgbImage out = RgbImage::blank(in.width, out_h);
  for (int yy = 0; yy < out_h; ++yy) {
    const std::int32_t* k = &c.weights[static_cast<std::size_t>(yy) * c.ksize];
    for (int x = 0; x < in.width; ++x) {
      for (int ch = 0; ch < 3; ++ch) {
        std::int64_t ss = 1 << (kPrecisionBits - 1);
        for (int y = 0; y < c.count[yy]; ++y) ss += std::int64_t(in.at(x, c.start[yy] + y)[ch]) * k[y];
        out.at(x, yy)[ch] = clip8(ss);
      }
    }
  }
  return out;
}

void check_image(const RgbImage& image) {
  if (image.empty() || image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3)
    throw_error(ErrorKind::Format, "image: empty or inconsistent RGB buffer (" + std::to_string(image.width) + "x" +
                                       std::to_string(image.height) + ")");
}

}  // namespace

RgbImage resize_like_pil(const RgbImage& image, int width, int height, Resample resample) {
  check_image(image);
  if (width <= 0 || height <= 0) throw_error(ErrorKind::Config, "resize: target size must be positive");
  // Like PIL: a pass runs only when that dimension changes (horizontal first).
  RgbImage tmp = image.width != width ? resample_horizontal(image, width, resample) : image;
  return tmp.height != height ? resample_vertical(tmp, height, resample) : tmp;
}

at::Tensor to_normalized_tensor(const RgbImage& image, const std::array<float, 3>& mean,
                                const std::array<float, 3>& std) {
  check_image(image);
  const int H = image.height, W = image.width;
  auto out = at::empty({1, 3, H, W}, at::kFloat);
  float* dst = out.data_ptr<float>();
  const std::size_t plane = static_cast<std::size_t>(H) * W;
  for (std::size_t i = 0; i < plane; ++i)
    for (int ch = 0; ch < 3; ++ch)  // float32 steps as torchvision: div(255), sub_(mean), div_(std)
      dst[ch * plane + i] = (static_cast<float>(image.pixels[3 * i + ch]) / 255.0f - mean[ch]) / std[ch];
  return out;
}

at::Tensor preprocess_image(const RgbImage& image, int size, const std::array<float, 3>& mean,
                            const std::array<float, 3>& std, Resample resample) {
  return to_normalized_tensor(resize_like_pil(image, size, size, resample), mean, std);
}

}  // namespace seedcanvas::vision
