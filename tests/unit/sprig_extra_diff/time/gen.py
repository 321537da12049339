import random, sys
random.seed(int(sys.argv[1]))
els = ['2006','06','01','1','Jan','January','02','2','_2','__2','002','15','03','3','04','4','05','5','PM','pm','MST','-0700','-07:00','-07','Z0700','Z07:00','Z07','-070000','-07:00:00','Z070000','Z07:00:00','.000','.999','.9','.000000000',',000','Mon','Monday',' ','-',':','T','/','x',' ',' ']
zones = ['UTC','America/New_York','Asia/Kolkata','Australia/Lord_Howe','Europe/London','Asia/Kathmandu','Pacific/Chatham','America/St_Johns','Africa/Casablanca','America/Santiago','Europe/Moscow','Asia/Tehran','Pacific/Apia','America/Sao_Paulo','Antarctica/Troll','Local','Bad/Zone','Etc/GMT+5']
with open('cases.txt','w') as f:
    for i in range(6000):
        lay = ''.join(random.choice(els) for _ in range(random.randint(1,7)))
        t = random.choice([random.randint(-4000000000, 5000000000), random.randint(-70000000000, 70000000000), random.randint(1600000000,1800000000)])
        ns = random.choice([0, 0, random.randint(0, 999999999), 120000000])
        f.write('%s\t%d\t%d\t%s\n' % (lay, t, ns, random.choice(zones)))
