import random, sys
random.seed(int(sys.argv[1]))
toks = ['1', '0', '12', '.', '5', '.25', 'h', 'm', 's', 'ms', 'us', 'µs', 'μs', 'ns', '-', '+', 'x',
        '9223372036854775807', '99999999999', '00', '']
with open('cases.txt', 'w') as f:
    for i in range(5000):
        f.write(''.join(random.choice(toks) for _ in range(random.randint(0, 6))) + '\n')
