// SPDX-License-Identifier: Apache-2.0
/**
 * Local, protocol-faithful stand-ins for the four clouds, and what they share.
 *
 * <p>The shared base: {@link io.secretsstore.provider.emulators.EmulatorServer} (HTTP and HTTPS on
 * 127.0.0.1, routes named by operation), {@link io.secretsstore.provider.emulators.EmulatorTls} (a
 * throw-away CA whose PEM clients trust), {@link io.secretsstore.provider.emulators.FaultPlan}
 * (latency, response times, error statuses with headers, resets, slow bodies, hangs, per operation
 * and optionally per resource), {@link io.secretsstore.provider.emulators.CallCounter}, and the
 * {@link io.secretsstore.provider.emulators.CloudEmulator} SPI that the {@code emulators} command
 * starts.
 *
 * <h2>Writing a cloud emulator</h2>
 *
 * <ol>
 *   <li>One public class per cloud in its own subpackage (e.g. {@code
 *       emulators.vault.VaultEmulator}) implementing {@code CloudEmulator}, with a public
 *       no-argument constructor that does no I/O; list it in {@code
 *       META-INF/services/io.secretsstore.provider.emulators.CloudEmulator}.
 *   <li>Create its {@code FaultPlan} and {@code CallCounter} in the constructor, so tests can arm
 *       faults before {@code start}.
 *   <li>In {@code start}: {@code EmulatorServer.start(options.server(name()).withFaults(faults)
 *       .withCalls(calls).withErrors(myErrorFormat))}, then one {@code route} per API operation,
 *       named {@code <cloud>.<Operation>} (e.g. {@code vault.kv2.read}, {@code
 *       aws.GetSecretValue}). Use {@code Route.when} where the path does not tell operations apart
 *       (AWS {@code X-Amz-Target}), and {@code Route.resource} to name the secret a call is about,
 *       so a test can fail one object.
 *   <li>Render every error, injected or real, in the cloud's own format through the {@code
 *       ErrorRenderer}; handlers throw {@code EmulatorError(status, message)}. Messages never carry
 *       secret values or tokens.
 *   <li>Enforce authentication in the handlers (SigV4, bearer challenge, Vault token), so a test
 *       that forgets credentials fails.
 *   <li>Return a {@code StartedEmulator} whose endpoints are the server URLs and whose settings are
 *       what a client needs ({@code VAULT_ADDR}, the CA file from {@code options.caFile()}, fake
 *       credentials); close the server in {@code close()}, which must be idempotent.
 * </ol>
 *
 * <p>A gRPC emulator (Google Secret Manager) keeps its own server but uses the same {@code
 * FaultPlan} and {@code CallCounter}: call {@code faults.next(operation, resource)} in a server
 * interceptor and map the {@link io.secretsstore.provider.emulators.FaultDecision}; {@code
 * EmulatorTls.keyManagerFactory()} gives its TLS credentials without exporting a private key.
 *
 * <p>Clients retry on their own: the JDK {@code HttpClient} and {@code HttpURLConnection} resend an
 * idempotent request once after a connection closed without an answer, so a single injected {@code
 * Fault.reset()} is usually invisible to them. Inject it {@code FaultPlan.ALWAYS}, or at least
 * twice.
 */
package io.secretsstore.provider.emulators;
