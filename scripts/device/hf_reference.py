"""Reference timing for the device check: transformers' LlamaForCausalLM.generate (eager, bf16,
greedy, batch 1) on random weights of a config, the same shapes seedcanvas-bench llm times."""
import json, sys, time
import torch
from transformers import LlamaConfig, LlamaForCausalLM

cfg_path, out_path = sys.argv[1], sys.argv[2]
raw = json.load(open(cfg_path))
bench = raw.pop("_bench", {})
raw.pop("_comment", None)
config = LlamaConfig(**raw)
config._attn_implementation = "eager"
torch.manual_seed(0)
with torch.device("cuda"):
    model = LlamaForCausalLM(config).to(torch.bfloat16).eval()
prompt = torch.randint(3, config.vocab_size, (1, bench.get("prompt_len", 64)), device="cuda")
new = bench.get("new_tokens", 128)
with torch.inference_mode():
    model.generate(prompt, max_new_tokens=8, min_new_tokens=8, do_sample=False)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    model.generate(prompt, max_new_tokens=new, min_new_tokens=new, do_sample=False)
    torch.cuda.synchronize()
    dt = time.perf_counter() - t0
res = {"config": cfg_path, "new_tokens": new, "seconds": dt, "tokens_per_s": new / dt,
       "torch": torch.__version__, "peak_gpu_gib": torch.cuda.max_memory_allocated() / 2**30}
json.dump(res, open(out_path, "w"), indent=1)
print(json.dumps(res))
