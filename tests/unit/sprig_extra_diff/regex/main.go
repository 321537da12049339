package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
)

func main() {
	var cases [][2]string
	b, _ := os.ReadFile("cases.json")
	json.Unmarshal(b, &cases)
	for _, c := range cases {
		re, err := regexp.Compile(c[0])
		if err != nil {
			fmt.Printf("%q ERR %s\n", c[0], err)
			continue
		}
		fa, _ := json.Marshal(re.FindAllString(c[1], -1))
		sp, _ := json.Marshal(re.Split(c[1], -1))
		fmt.Printf("%q %v %s %s %q %q\n", c[0], re.MatchString(c[1]), fa, sp, re.ReplaceAllString(c[1], "<$1|${n}>"), re.FindString(c[1]))
	}
}
