/**
 * Points the AWS SDK at `env` (an AWS simulator's `sdkEnv()`) through process.env, as the bot reads it;
 * the function returned puts back what those variables were before (unset ones unset again).
 */
export function useSdkEnv(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
