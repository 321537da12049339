package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	sv "github.com/Masterminds/semver/v3"
)

func main() {
	f, _ := os.Open("cases.txt")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.SplitN(sc.Text(), "\t", 2)
		c, err := sv.NewConstraint(p[0])
		if err != nil {
			fmt.Printf("CERR %s\n", err)
			continue
		}
		v, err := sv.NewVersion(p[1])
		if err != nil {
			fmt.Printf("VERR %s\n", err)
			continue
		}
		fmt.Printf("%v %s\n", c.Check(v), v.String())
	}
}
