package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	f, _ := os.Open("cases.txt")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		sec, _ := strconv.ParseInt(p[1], 10, 64)
		ns, _ := strconv.ParseInt(p[2], 10, 64)
		loc, err := time.LoadLocation(p[3])
		if err != nil {
			loc, _ = time.LoadLocation("UTC")
		}
		t := time.Unix(sec, ns).In(loc)
		s := t.Format(p[0])
		pt, err := time.ParseInLocation(p[0], s, time.Local)
		ps := ""
		if err != nil {
			ps = "ERR " + err.Error()
		} else {
			ps = pt.String()
		}
		fmt.Printf("%q %q %q\n", s, t.String(), ps)
	}
}
