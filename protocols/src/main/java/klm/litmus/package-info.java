/**
 * Litmus tests in herd7's C dialect as the Linux-kernel memory model (LKMM) uses it
 * (tools/memory-model/litmus-tests/): a reader and the tree it produces.
 *
 * <p>The tree ({@link klm.litmus.Ast}) is immutable (records and lists that cannot change) and
 * says only what the file says; it does not decide what a primitive means under a memory model.
 * Its parts:
 * <ul>
 *   <li>{@link klm.litmus.Ast.Test}: the test's name, its {@code Result:} line if the file has
 *       one, the initial state, the threads, the {@code locations} and {@code filter} clauses and
 *       the final clause.</li>
 *   <li>{@link klm.litmus.Ast.Init}: one entry of the initial-state block, {@code x=1;},
 *       {@code int *p=y;} (a pointer to variable {@code y}), {@code spinlock_t s;},
 *       {@code 0:r1=2;} (a register of thread 0).</li>
 *   <li>{@link klm.litmus.Ast.Thread}: {@code P0(int *x, spinlock_t *s) { ... }}, its parameters
 *       ({@link klm.litmus.Ast.Param}, type text and name) and its statements.</li>
 *   <li>{@link klm.litmus.Ast.Stmt}: a local declaration, an assignment to a register or through a
 *       pointer, an expression statement (a primitive call such as {@code WRITE_ONCE(*x, 1);}),
 *       {@code if}/{@code else}, a block.</li>
 *   <li>{@link klm.litmus.Ast.Expr}: constants, names (registers, locals and parameters), unary
 *       and binary operators, {@code *e}, {@code &e}, casts, and {@link klm.litmus.Ast.Call}, a call
 *       of a named primitive with its arguments as written ({@code READ_ONCE(*x)} is a call of
 *       {@code READ_ONCE} on {@code Deref(Name x)}).</li>
 *   <li>{@link klm.litmus.Ast.Cond}: the propositions of {@code exists}/{@code ~exists}/
 *       {@code forall} and {@code filter}: {@code /\}, {@code \/}, {@code ~}, {@code true}/
 *       {@code false} and atoms {@code x=1}, {@code 0:r1=1}, {@code 1:r0=x} (register holds the
 *       address of {@code x}), {@code x!=1}.</li>
 * </ul>
 * Every statement, call and atom carries its {@link klm.litmus.Ast.Pos} (file and line), so that
 * whoever gives the tree a meaning can report an unsupported construct where it is written
 * ({@link klm.litmus.LitmusException}).
 */
package klm.litmus;
