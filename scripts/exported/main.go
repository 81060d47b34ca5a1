//go:build ignore

// Command exported counts the exported identifiers of Go packages, for
// scripts/exported.sh (see there, and docs/refactoring.md).
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// kinds in the order they are printed.
var kinds = []string{"types", "funcs", "methods", "fields", "consts", "vars"}

func main() {
	list := flag.Bool("l", false, "also list the identifiers, one a line (kind name)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/exported/main.go [-l] DIR...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	status := 0
	for _, dir := range flag.Args() {
		names, err := exported(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = 1
			continue
		}
		count := map[string]int{}
		for _, n := range names {
			count[n.kind]++
		}
		var parts []string
		for _, k := range kinds {
			parts = append(parts, fmt.Sprintf("%s %d", k, count[k]))
		}
		fmt.Printf("%s\t%d\t(%s)\n", dir, len(names), strings.Join(parts, ", "))
		if *list {
			for _, n := range names {
				fmt.Printf("  %s %s\n", n.kind, n.name)
			}
		}
	}
	os.Exit(status)
}

type ident struct{ kind, name string }

// exported returns the exported identifiers of the package in dir (its non-test files):
// types, funcs, methods of exported types (and of exported interfaces), exported fields
// of exported struct types (embedded ones included), consts and vars. A method or field
// of an unexported type is not counted: go doc does not show it either.
func exported(dir string) ([]ident, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	if len(pkgs) != 1 {
		return nil, fmt.Errorf("%s: %d packages, want one", dir, len(pkgs))
	}
	var out []ident
	add := func(kind, name string) { out = append(out, ident{kind, name}) }
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() {
						continue
					}
					if d.Recv == nil {
						add("funcs", d.Name.Name)
					} else if recv := recvType(d.Recv.List[0].Type); ast.IsExported(recv) {
						add("methods", recv+"."+d.Name.Name)
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() {
								continue
							}
							add("types", s.Name.Name)
							members(s.Name.Name, s.Type, add)
						case *ast.ValueSpec:
							kind := "vars"
							if d.Tok == token.CONST {
								kind = "consts"
							}
							for _, n := range s.Names {
								if n.IsExported() {
									add(kind, n.Name)
								}
							}
						}
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].kind != out[j].kind {
			return out[i].kind < out[j].kind
		}
		return out[i].name < out[j].name
	})
	return out, nil
}

// members adds the exported fields of a struct type and the methods of an interface.
func members(typ string, e ast.Expr, add func(kind, name string)) {
	switch t := e.(type) {
	case *ast.StructType:
		for _, f := range t.Fields.List {
			if len(f.Names) == 0 { // embedded: its name is its type's
				if n := recvType(f.Type); ast.IsExported(n) {
					add("fields", typ+"."+n)
				}
				continue
			}
			for _, n := range f.Names {
				if n.IsExported() {
					add("fields", typ+"."+n.Name)
				}
			}
		}
	case *ast.InterfaceType:
		for _, m := range t.Methods.List {
			for _, n := range m.Names {
				if n.IsExported() {
					add("methods", typ+"."+n.Name)
				}
			}
		}
	}
}

// recvType is the name of a receiver or embedded type: T, *T, T[P], pkg.T.
func recvType(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvType(t.X)
	case *ast.IndexExpr:
		return recvType(t.X)
	case *ast.IndexListExpr:
		return recvType(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.Ident:
		return t.Name
	}
	return ""
}
