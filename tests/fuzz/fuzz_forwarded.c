/* libFuzzer driver: X-Forwarded-For as a trusted proxy passes it on. The
 * client found must be a real address that is not one of the proxies
 * (unless every entry was one), and it must read back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/conn_guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A header is a C string: an embedded NUL ends it, as MHD would. */
	char *xff = malloc(size + 1);
	if (!xff) return 0;
	memcpy(xff, data, size);
	xff[size] = 0;
	net_addr proxies[2];
	if (!net_addr_parse("10.0.0.1", 8, &proxies[0]) || !net_addr_parse("2001:db8::1", 11, &proxies[1]))
		abort();
	net_addr client;
	if (forwarded_client(proxies, 2, xff, &client)) {
		char text[NET_ADDR_TEXT];
		net_addr_format(&client, text);
		net_addr again;
		if (!net_addr_parse(text, strlen(text), &again)) abort();
		if (memcmp(again.b, client.b, sizeof client.b) != 0) abort();
		/* A proxy is the answer only when no entry was anything else. */
		bool is_proxy = !memcmp(client.b, proxies[0].b, 16) || !memcmp(client.b, proxies[1].b, 16);
		if (is_proxy) {
			for (char *p = strtok(xff, ","); p; p = strtok(NULL, ",")) {
				net_addr a;
				if (net_addr_parse(p, strlen(p), &a) && memcmp(a.b, proxies[0].b, 16) &&
				    memcmp(a.b, proxies[1].b, 16))
					abort();
			}
		}
	}
	free(xff);
	return 0;
}
