/*
 * tessera's one vocabulary of error codes: negative returns, handled where a
 * decision can be made. Every part uses it (core/, ipc/, partition/, arch/,
 * the host tools); an SBI or PSCI error exists only at the arch boundary,
 * translated from these (sbi_error_from).
 */
#ifndef CORE_ERRNO_H
#define CORE_ERRNO_H
#define E_OK        0
#define E_INVAL    (-1)   /* an argument or a value is not valid */
#define E_ALREADY  (-2)   /* the target is already in that state */
#define E_ADDR     (-3)   /* an address outside what the caller owns */
#define E_DENIED   (-4)
#define E_NOSUPP   (-5)   /* not something tessera does */
#define E_FAILED   (-6)
#define E_NOMEM    (-7)   /* no memory left */
#define E_BUSY     (-8)
#define E_FULL     (-9)   /* no room now: try again (a mailbox ring) */
#define E_NOSPC    (-10)  /* more entries than a fixed table holds */
#define E_DEADLK   (-11)  /* waiting here could never end (a blocking send from a handler) */
#define E_NOENT    (-12)  /* no such entry */
#define E_MISSING  (-13)  /* something required is absent (a node, a property, a field) */
#define E_CORRUPT  (-14)  /* malformed input: bad sizes, names, bounds, overlaps */
#define E_FORMAT   (-15)  /* not this format at all (bad magic) */
#define E_VERSION  (-16)  /* a format version this code does not read */
#define E_TRUNC    (-17)  /* shorter than it says */
#define E_CRC      (-18)  /* checksum mismatch */
#define E_SYNTAX   (-19)  /* not JSON, or truncated */
#define E_FIELD    (-20)  /* unknown field, wrong type, missing required field */
#define E_RANGE    (-21)  /* a value out of range */
#define E_CONFLICT (-22)  /* overlaps, duplicates, does not fit */
#define E_PTWALK   (-23)  /* a guest's page-table walk, not its instruction, touched the address */
#endif
