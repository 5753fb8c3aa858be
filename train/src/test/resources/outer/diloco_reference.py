# Reference for DiLoCoTest: the outer step as PyTorch's SGD(nesterov=True) computes it, in float64.
import torch
torch.set_printoptions(precision=17)
theta0 = torch.tensor([0.5, -1.25, 2.0], dtype=torch.float64)
# the workers' end-of-round parameters in each of 3 rounds are theta_global + offsets (2 workers)
offsets = [
    [[-0.1, 0.2, 0.05], [-0.3, 0.0, 0.15]],
    [[0.02, -0.04, 0.1], [-0.06, 0.08, -0.2]],
    [[-0.5, 0.25, 0.0], [0.1, -0.75, 0.4]],
]
for lr, mu in [(0.7, 0.9), (1.0, 0.0), (0.4, 0.5)]:
    p = torch.nn.Parameter(theta0.clone())
    opt = torch.optim.SGD([p], lr=lr, momentum=mu, nesterov=mu > 0)
    for r in offsets:
        workers = [p.detach() + torch.tensor(o, dtype=torch.float64) for o in r]
        mean = sum(workers) / len(workers)
        opt.zero_grad()
        p.grad = p.detach() - mean   # outer gradient: theta_global - mean(theta_worker)
        opt.step()
    buf = opt.state[p].get('momentum_buffer') if mu > 0 else None
    print(lr, mu, [f"{x:.17g}" for x in p.detach().tolist()], None if buf is None else [f"{x:.17g}" for x in buf.tolist()])
