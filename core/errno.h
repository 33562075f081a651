/* tessera's error codes: negative returns, handled where a decision can be made. */
#ifndef CORE_ERRNO_H
#define CORE_ERRNO_H
#define E_OK       0
#define E_INVAL   (-1)   /* an argument is not valid (bad hart id, bad type) */
#define E_ALREADY (-2)   /* the target is already in that state */
#define E_ADDR    (-3)   /* an address outside the VM */
#define E_DENIED  (-4)
#define E_NOSUPP  (-5)
#define E_FAILED  (-6)
#define E_NOMEM   (-7)
#define E_BUSY    (-8)
#endif
