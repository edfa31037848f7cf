module github.com/ragkb/ragkb

go 1.26.8
