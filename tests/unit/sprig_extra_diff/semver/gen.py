import random, json, sys
random.seed(int(sys.argv[1]))
ops = ['', '=', '!=', '>', '<', '>=', '=>', '<=', '=<', '~', '~>', '^', ' ', '>= ', '^ ']
parts = ['0', '1', '2', '10', 'x', '*', 'X', '01']
pres = ['', '', '', '-alpha', '-beta.2', '-0', '-rc.1', '-1', '-alpha.beta', '-01']
def ver(loose):
    n = random.randint(1, 3)
    v = '.'.join(random.choice(parts if loose else parts[:4]) for _ in range(n))
    v += random.choice(pres)
    if random.random() < 0.1: v += '+build.5'
    if random.random() < 0.1: v = 'v' + v
    return v
def one():
    return random.choice(ops) + ver(True)
def constraint():
    r = random.random()
    if r < 0.15: return ver(True) + ' - ' + ver(True)
    ands = [one() for _ in range(random.randint(1, 3))]
    c = random.choice([', ', ' ', ',']).join(ands)
    if random.random() < 0.2: c += ' || ' + one()
    return c
cases = [(constraint(), ver(False)) for _ in range(6000)]
json.dump(cases, open('cases.json', 'w'))
with open('cases.txt', 'w') as f:
    for c, v in cases: f.write(c + '\t' + v + '\n')
