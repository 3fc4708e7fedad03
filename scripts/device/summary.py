"""Prints the device check's figures as one short table (the end of the log is what comes back)."""
import json, os, sys

out = sys.argv[1]
def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"{name}: missing ({e})")
        return None

hf = load("hf_8b_bf16.json")
for name in ("llm_8b_base.json", "llm_8b_bf16.json", "llm_8b_long.json", "llm_14b_bf16.json"):
    if name in ("llm_8b_base.json", "llm_8b_long.json") and not os.path.exists(os.path.join(out, name)):
        continue  # only FOLDS=1 runs these
    j = load(name)
    if not j:
        continue
    bw = j["bandwidth_gbs"]["reduction"]
    for dtype, r in j["results"].items():
        print(f"{name} {dtype}: prompt {j['prompt_len']}, {j['new_tokens']} new tokens, prefill {r['prefill_ms']:.1f} ms, weights {r['decode_weight_mib']/1024:.1f} GiB, "
              f"roofline {r['roofline_ms_per_token']:.2f} ms/token at {bw:.0f} GB/s")
        for g, v in r.get("gemv", {}).items():
            kernels = ", ".join(f"kernel{i} {gbs:5.0f} GB/s ({err:.1e})"
                                for i, (gbs, err) in enumerate(zip(v["kernel_gbs"], v["kernel_rel_err"])))
            print(f"  gemv {g:9s} {v['n']}x{v['k']}: {kernels}, "
                  f"cuBLAS {v['cublas_gbs']:5.0f} GB/s ({v['cublas_rel_err']:.1e})"
                  + (f", folded {v['folded_op']} {v['folded_gbs']:5.0f} GB/s ({v['folded_rel_err']:.1e}); "
                     + "rows x split: " + " ".join(f"{k} {g:.0f}" for k, g in sorted(
                         v.get('folded_gbs_by_rows_x_split', {}).items(), key=lambda kv: -kv[1])[:3])
                     if v.get('folded_op') else ""))
        for g, v in r.get("tuning", {}).items():
            print(f"  tuned {g:9s} {v['n']}x{v['k']} -> {v['chosen']}: " + ", ".join(
                f"{k} {m['gbs']:.0f}" if m["accepted"] else f"{k} rejected ({m['rel_err']:.1e})"
                for k, m in v["kernels"].items()))
        for mode, m in r.get("decode_modes", {}).items():
            ref = f", {m['decode_tokens_per_s'] / hf['tokens_per_s']:.2f}x transformers" if hf and "8b" in name else ""
            err = f" capture error: {m['capture_error']}" if m.get("capture_error") else ""
            print(f"  {mode:34s} {m['decode_ms_per_token_median']:6.2f} ms/token {m['decode_tokens_per_s']:6.1f} tok/s "
                  f"{100 * m['roofline_fraction']:5.1f} % roofline, graphs {m['graphs_captured']}, "
                  f"same ids {m['same_ids_as_first']}{ref}{err}")
if hf:
    print(f"transformers eager 8B: {hf['tokens_per_s']:.1f} tok/s (torch {hf['torch']}, peak {hf['peak_gpu_gib']:.1f} GiB)")
for name in ("pipeline.json", "pipeline_expandable.json"):
    p = load(name)
    if p:
        t, u = p["text_to_image"], p["understanding"]
        print(f"{name}: text->image {t['total_ms']:.0f} ms (llm {t['llm_ms']:.0f} ms at {t['llm_decode_ms_per_token']:.2f} "
              f"ms/token, diffusion {t['diffusion_ms']:.0f} ms for {t['unet_calls']} UNet calls, vae {t['vae_ms']:.0f} ms); "
              f"understanding: tokenize {u['tokenize_ms']:.1f} ms, TTFT {u['time_to_first_token_ms']:.1f} ms; "
              f"memory {json.dumps(p.get('memory'))}")
ld = load("load.json")
if ld:
    print(f"load {ld['file_bytes']/1e9:.2f} GB {ld['file_dtype']}->{ld['dtype']}: staged {ld['staged_gbs']:.1f} GB/s, "
          f"tensor.to() {ld['plain_gbs']:.1f} GB/s, host read alone {ld['host_read_gbs']:.1f} GB/s, "
          f"same tensors {ld['staged_equals_plain']}")
