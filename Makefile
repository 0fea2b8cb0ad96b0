# coachd — one binary: web UI and JSON API on SQLite or PostgreSQL.
# `make` builds build/coachd; `make SANITIZE=1` builds build/san/coachd with
# AddressSanitizer and UndefinedBehaviorSanitizer (what the tests use).

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium zlib xlsxwriter cairo fontconfig
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

WARN    := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Wvla
CFLAGS_COMMON := -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -Ibuild/gen $(PKG_CFLAGS)

ifeq ($(SANITIZE),1)
OUT     := build/san
CFLAGS_MODE := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=undefined
LDFLAGS_MODE := -fsanitize=address,undefined
else
OUT     := build
CFLAGS_MODE := -O2 -g -DNDEBUG -fstack-protector-strong -D_FORTIFY_SOURCE=2
LDFLAGS_MODE :=
endif

CFLAGS_ALL := $(CFLAGS_COMMON) $(CFLAGS_MODE) $(CFLAGS)
LIBS := $(PKG_LIBS) -lpthread -lm

SRC_ALL   := $(sort $(shell find src -name '*.c'))
SRC_LIB   := $(filter-out src/main.c,$(SRC_ALL))
ASSETS    := $(sort $(wildcard src/html/assets/*))
MIGRATIONS:= $(sort $(wildcard src/store/migrations/*.sql))
GEN       := build/gen/assets.c build/gen/migrations.c

OBJ_LIB   := $(patsubst %.c,$(OUT)/obj/%.o,$(SRC_LIB)) \
             $(patsubst build/gen/%.c,$(OUT)/obj/gen/%.o,$(GEN))
OBJ_MAIN  := $(OUT)/obj/src/main.o

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRC))

.PHONY: all clean check demo bench fuzz unit deps
all: $(OUT)/coachd

$(OUT)/coachd: $(OBJ_LIB) $(OBJ_MAIN)
	$(CC) $(LDFLAGS_MODE) $(LDFLAGS) -o $@ $^ $(LIBS)

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(OUT)/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

build/gen/assets.c: build/tools/embed $(ASSETS)
	@mkdir -p $(dir $@)
	build/tools/embed asset $@ $(ASSETS)

build/gen/migrations.c: build/tools/embed $(MIGRATIONS)
	@mkdir -p $(dir $@)
	build/tools/embed migration $@ $(MIGRATIONS)

# Unit tests (cmocka) link every module but main.c.
$(OUT)/tests/%: tests/unit/%.c $(OBJ_LIB)
	@mkdir -p $(dir $@)
	@echo "  LINK $@"
	@$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -o $@ $< $(OBJ_LIB) $(LDFLAGS_MODE) $(LIBS) -lcmocka

unit: $(UNIT_BIN)

deps:
	scripts/install-deps

# The README's two commands.
demo: deps
	$(MAKE) all
	build/coachd demo --db ./coachd-demo.db --listen 127.0.0.1:8080

# Each stage's time is kept in build/check-stages and printed at the end.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check:
	@mkdir -p build && : >build/check-stages
	@scripts/stage "dependencies" scripts/install-deps
	@scripts/stage "format check" $(MAKE) format-check
	@scripts/stage "release build" $(MAKE) -j$(JOBS) all
	@scripts/stage "sanitizer build" $(MAKE) -j$(JOBS) SANITIZE=1 all unit
	@scripts/stage "fuzz drivers build" $(MAKE) -j$(JOBS) fuzz-build
	tests/run-all

# libFuzzer drivers, one per parser (clang only).
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_LIB := $(sort $(wildcard src/http/parse_*.c src/roster/csv.c src/roster/zip.c)) src/base/arena.c src/base/buf.c src/base/util.c src/base/log.c src/files/stored_file.c src/base/strmap.c src/agreement/agreement.c src/agreement/agreement_data.c src/agreement/agreement_csv.c src/agreement/agreement_json.c src/observe/rubric.c src/http/conn_guard.c $(shell pkg-config --variable=libdir jansson)/libjansson.a

.PHONY: fuzz-build
fuzz-build: $(FUZZ_BIN)
build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB) $(wildcard src/http/parse*.h) src/base/arena.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ $@"
	@clang -std=c17 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer,address,undefined \
	  -o $@ $< $(FUZZ_LIB) -lm -lz

# `make fuzz` runs each driver longer than check does (FUZZ_SECONDS each).
FUZZ_SECONDS ?= 60
fuzz: fuzz-build
	tests/run-fuzz $(FUZZ_SECONDS)

# The C style is .clang-format's: `make format` applies it to every C file,
# `make format-check` names each file that differs (and is part of check).
CLANG_FORMAT ?= clang-format
FORMAT_FILES = $(sort $(shell find src tests/unit tests/fuzz tools -name '*.[ch]'))
.PHONY: format format-check
format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)
format-check:
	@mkdir -p build
	@$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES) 2>build/format-check.log || \
	  { grep -o '^[^:]*\.[ch]' build/format-check.log | sort -u | sed 's/^/  not formatted: /'; \
	    echo "format-check: run 'make format' (log: build/format-check.log)"; exit 1; }
	@echo "format-check: every C file is formatted"

bench: deps
	$(MAKE) all
	bench/run

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
