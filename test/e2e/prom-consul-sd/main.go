// Command prom-consul-sd runs Prometheus 2.42's own Consul service discovery (the
// github.com/prometheus/prometheus/discovery/consul package at v0.42.0, the code behind
// `consul_sd_configs`) and writes what it discovers as a file_sd JSON file.
//
// Debian's prometheus 2.42 package is built without Consul SD ("Disable Consul SD until its
// Debian package is back in shape", changelog), so the tests pair this program with the real
// Debian Prometheus reading the file through `file_sd_configs`: discovery is Prometheus's code,
// relabeling and scraping are the real Prometheus process.
//
// Usage: prom-consul-sd <consul_sd_config.yml> <out.json>
// Every update is also printed to stdout as one JSON line.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/go-kit/log"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/discovery/consul"
	"github.com/prometheus/prometheus/discovery/targetgroup"
	"gopkg.in/yaml.v2"
)

type fileGroup struct {
	Targets []string          `json:"targets"`
	Labels  map[string]string `json:"labels"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: prom-consul-sd <consul_sd_config.yml> <out.json>")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cfg := consul.DefaultSDConfig
	if err := yaml.UnmarshalStrict(raw, &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(1)
	}
	logger := log.NewLogfmtLogger(os.Stderr)
	d, err := consul.NewDiscovery(&cfg, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ch := make(chan []*targetgroup.Group)
	go d.Run(ctx, ch)

	groups := map[string]*targetgroup.Group{}
	for {
		select {
		case <-ctx.Done():
			return
		case update := <-ch:
			for _, g := range update {
				if g == nil {
					continue
				}
				groups[g.Source] = g
			}
			if err := write(os.Args[2], groups); err != nil {
				fmt.Fprintln(os.Stderr, "write:", err)
				os.Exit(1)
			}
		}
	}
}

// write flattens the groups to one file_sd entry per target (group labels merged in) and
// replaces the file atomically, so Prometheus never reads half a file.
func write(path string, groups map[string]*targetgroup.Group) error {
	out := []fileGroup{}
	sources := make([]string, 0, len(groups))
	for s := range groups {
		sources = append(sources, s)
	}
	sort.Strings(sources)
	for _, s := range sources {
		g := groups[s]
		for _, t := range g.Targets {
			labels := map[string]string{}
			for k, v := range g.Labels {
				labels[string(k)] = string(v)
			}
			for k, v := range t {
				labels[string(k)] = string(v)
			}
			addr := labels[model.AddressLabel]
			delete(labels, model.AddressLabel)
			out = append(out, fileGroup{Targets: []string{addr}, Labels: labels})
		}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Println(string(data))
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
