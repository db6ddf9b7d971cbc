// Command ferretdb-local runs FerretDB v1 (MongoDB wire protocol) for local development and
// tests, on its SQLite backend (-data) or its PostgreSQL backend (-postgresql-url), and pings it.
//
//	ferretdb-local serve -listen 127.0.0.1:27017 -data .infra/ferretdb
//	ferretdb-local serve -listen 127.0.0.1:27017 -postgresql-url postgres://postgres@127.0.0.1:5433/ferretdb
//	ferretdb-local ping  -addr 127.0.0.1:27017 [-timeout 2s]
//
// FerretDB is embedded instead of `go install .../cmd/ferretdb` because the published
// module lacks a generated version.txt and that binary panics at start (FerretDB#2982).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}

	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "ping":
		err = ping(os.Args[2:])
	default:
		usage()
	}

	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-local %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: ferretdb-local serve -listen HOST:PORT (-data DIR | -postgresql-url URL) | ping -addr HOST:PORT [-timeout D]")
	os.Exit(2)
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	data := fs.String("data", "", "directory for the SQLite databases (created if missing)")
	pgURL := fs.String("postgresql-url", "", "PostgreSQL database to keep the data in, instead of SQLite")
	debug := fs.Bool("debug", false, "log at debug level")
	_ = fs.Parse(args)

	if (*data == "") == (*pgURL == "") {
		return errors.New("exactly one of -data and -postgresql-url is required")
	}

	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
	}
	where := "PostgreSQL"
	if *pgURL != "" {
		config.Handler = "postgresql"
		config.PostgreSQLURL = *pgURL
	} else {
		dir, err := filepath.Abs(*data)
		if err != nil {
			return err
		}
		if err = os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		config.Handler = "sqlite"
		// WAL with synchronous=NORMAL: a commit no longer waits for an fsync. What a crash of
		// FerretDB (any signal) leaves is still every committed write; only a crash of the machine
		// may lose the last ones. Throwaway dev/test data, like the local PostgreSQL's fsync=off.
		config.SQLiteURL = "file:" + dir + "/?_pragma=synchronous(normal)"
		where = dir
	}

	f, err := ferretdb.New(config)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	logger.Info("ferretdb-local listening", "addr", *listen, "backend", config.Handler, "data", where)
	err = f.Run(ctx)
	logger.Info("ferretdb-local stopped")

	return err
}

func ping(args []string) error {
	fs := flag.NewFlagSet("ping", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:27017", "FerretDB address")
	timeout := fs.Duration("timeout", 2*time.Second, "overall timeout")
	_ = fs.Parse(args)

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	opts := options.Client().
		ApplyURI("mongodb://" + *addr + "/").
		SetServerSelectionTimeout(*timeout).
		SetConnectTimeout(*timeout)

	client, err := mongo.Connect(ctx, opts)
	if err != nil {
		return err
	}
	defer client.Disconnect(context.Background()) //nolint:errcheck // best effort on exit

	var res bson.M
	if err = client.Database("admin").RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Decode(&res); err != nil {
		return err
	}

	fmt.Println("ok")

	return nil
}
