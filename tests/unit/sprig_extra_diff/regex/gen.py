import random, json
import sys; random.seed(int(sys.argv[1]))
toks = ['(a|)', '(|b)', '[\\d\\s]', '[^\\w.]', '\\1', '(?-i:a)', '(?i:B)', '\\x41', '\\x{e9}', '[é-ü]', '\\S', '\\W', '\\D', '\\B', '{3,}', '{0}', '\\pN', '\\p{Greek}', '\\PL', '[\\pL\\d]', '(?<m>c)', '$', 'A', 'B', 'a','b','c','.','*','+','?','*?','+?','??','|','(',')','(?:','[ab]','[^a]','[a-c]','\\d','\\w','\\s','\\b','^','$','{2}','{1,2}','{,2}','(?i)','(?P<n>','x','é','\\pL','[[:alpha:]]','\\A','\\z','(?m)','(?s)','\\.','{','}',']','[', '\\Q.\\E', '(?U)']
subs = ['', 'abc', 'aab bca', 'xaxbxc', 'ééa\nb', 'ABC abc 123', 'a.b.c', 'ccc\nabab\n']
cases = []
for i in range(5000):
    p = ''.join(random.choice(toks) for _ in range(random.randint(1,8)))
    cases.append((p, random.choice(subs)))
json.dump(cases, open('cases.json','w'))
import struct
with open('cases.bin', 'wb') as f:
    for p, s in cases:
        for x in (p, s):
            b = x.encode()
            f.write(struct.pack('<I', len(b)))
            f.write(b)
