// Command consul-go drives a Meridian agent with HashiCorp's official Consul API client, to prove
// that clients written for Consul work unchanged. It exits 0 and prints "OK" when every step
// passes; otherwise it prints the failed step and exits 1. The agent address comes from
// CONSUL_HTTP_ADDR, as for every Consul tool.
package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/hashicorp/consul/api"
)

func fail(step string, err error) {
	fmt.Fprintf(os.Stderr, "FAIL %s: %v\n", step, err)
	os.Exit(1)
}

func check(step string, ok bool, format string, args ...any) {
	if !ok {
		fail(step, fmt.Errorf(format, args...))
	}
}

func main() {
	client, err := api.NewClient(api.DefaultConfig())
	if err != nil {
		fail("client", err)
	}

	// A real TCP listener for the TCP check to reach.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen", err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()

	self, err := client.Agent().Self()
	if err != nil {
		fail("agent self", err)
	}
	dc, _ := self["Config"]["Datacenter"].(string)
	check("agent self", dc != "", "no Config.Datacenter in %v", self["Config"])

	reg := &api.AgentServiceRegistration{
		ID:      "go-web-1",
		Name:    "go-web",
		Tags:    []string{"v1", "go"},
		Port:    8080,
		Address: "127.0.0.1",
		Meta:    map[string]string{"team": "core"},
		Checks: api.AgentServiceChecks{
			{CheckID: "go-web-ttl", TTL: "30s", Status: api.HealthCritical},
			{CheckID: "go-web-tcp", TCP: ln.Addr().String(), Interval: "1s", Timeout: "1s"},
		},
	}
	if err := client.Agent().ServiceRegister(reg); err != nil {
		fail("register", err)
	}
	services, err := client.Agent().Services()
	if err != nil {
		fail("agent services", err)
	}
	check("agent services", services["go-web-1"] != nil && services["go-web-1"].Port == 8080, "got %v", services)

	if err := client.Agent().UpdateTTL("go-web-ttl", "all good", api.HealthPassing); err != nil {
		fail("update ttl", err)
	}

	nodes, _, err := client.Catalog().Service("go-web", "go", nil)
	if err != nil {
		fail("catalog service", err)
	}
	check("catalog service", len(nodes) == 1, "want 1 instance, got %d", len(nodes))
	n := nodes[0]
	check("catalog service", n.ServiceID == "go-web-1" && n.ServicePort == 8080 && n.ServiceAddress == "127.0.0.1" && n.ServiceMeta["team"] == "core" && n.Datacenter == dc,
		"unexpected entry %+v", n)

	// Wait with blocking queries until both checks pass.
	var index uint64
	deadline := time.Now().Add(20 * time.Second)
	for {
		entries, meta, err := client.Health().Service("go-web", "", true, &api.QueryOptions{WaitIndex: index, WaitTime: 5 * time.Second})
		if err != nil {
			fail("health passing", err)
		}
		index = meta.LastIndex
		if len(entries) == 1 && entries[0].Checks.AggregatedStatus() == api.HealthPassing {
			break
		}
		check("health passing", time.Now().Before(deadline), "service never became passing")
	}

	// A blocking query returns when a second instance registers.
	go func() {
		_ = client.Agent().ServiceRegister(&api.AgentServiceRegistration{ID: "go-web-2", Name: "go-web", Port: 8081})
	}()
	for {
		entries, meta, err := client.Health().Service("go-web", "", false, &api.QueryOptions{WaitIndex: index, WaitTime: 30 * time.Second})
		if err != nil {
			fail("blocking query", err)
		}
		check("blocking query", meta.LastIndex > index || len(entries) == 2, "blocking query timed out without a change")
		index = meta.LastIndex
		if len(entries) == 2 {
			break
		}
	}

	checks, _, err := client.Health().Checks("go-web", nil)
	if err != nil {
		fail("health checks", err)
	}
	check("health checks", len(checks) >= 2, "want the two checks of go-web-1, got %d", len(checks))

	for _, id := range []string{"go-web-1", "go-web-2"} {
		if err := client.Agent().ServiceDeregister(id); err != nil {
			fail("deregister", err)
		}
	}
	nodes, _, err = client.Catalog().Service("go-web", "", nil)
	if err != nil {
		fail("catalog after deregister", err)
	}
	check("catalog after deregister", len(nodes) == 0, "want none, got %d", len(nodes))
	fmt.Println("OK")
}
