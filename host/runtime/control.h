/*
 * The control socket: a Unix stream socket through which `tradehost reload`
 * (and later other operator commands) reach a running host. One request line
 * per connection, one reply line: "ok <text>" or "error <text>".
 *   reload   rescan plugins and configuration, swap what changed
 *   status   one line per instance: name plugin kind version generation running
 * The socket file is created with mode 0600: only the host's user may steer it.
 */
#ifndef HOST_RUNTIME_CONTROL_H
#define HOST_RUNTIME_CONTROL_H

#include <event2/event.h>
#include <stddef.h>

#include "runtime/host.h"

typedef struct control control;

control *control_open(host_t *h, struct event_base *base, const char *path, char *err, size_t errlen);
void control_close(control *c);

/* Client side, used by `tradehost reload`: send one command, copy the reply
 * line into `reply`. Returns 0 if the host answered "ok", 1 if it answered
 * "error", -1 if it could not be reached. */
int control_request(const char *path, const char *command, char *reply, size_t cap);

#endif
