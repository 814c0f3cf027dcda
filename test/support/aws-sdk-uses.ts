import { readFileSync } from 'node:fs';

const SDK_FILE = new URL('../../src/aws/sdk.ts', import.meta.url);

/** src/aws/sdk.ts's lazily loaded namespaces: `rds` → `client-rds`, `s3Storage` → `lib-storage`. */
function lazyNamespaces(): Map<string, string> {
  const text = readFileSync(SDK_FILE, 'utf8');
  return new Map(
    [...text.matchAll(/export const (\w+) = lazy<[^>]+>\('@aws-sdk\/([\w-]+)'\)/g)].map((m) => [m[1], m[2]]),
  );
}

/**
 * The AWS SDK names a source file uses, per package (`client-rds`, `lib-storage`): those it imports
 * (`import { X } from '@aws-sdk/client-rds'`, types included) and those it reaches through the lazy
 * namespaces of src/aws/sdk.ts (`new rds.DescribeDBInstancesCommand(…)`).
 */
export function awsSdkUses(source: string): Array<{ pkg: string; names: string[] }> {
  const uses: Array<{ pkg: string; names: string[] }> = [];
  for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([\w-]+)'/g)) {
    const names = m[1]
      .split(',')
      .map(
        (s) =>
          s
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0],
      )
      .filter(Boolean);
    uses.push({ pkg: m[2], names });
  }
  const namespaces = lazyNamespaces();
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'[./]+(?:aws\/)?sdk\.js'/g)) {
    for (const binding of m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [name, local = name] = binding.split(/\s+as\s+/);
      const pkg = namespaces.get(name);
      if (!pkg) continue;
      const names = [...source.matchAll(new RegExp(`\\b${local}\\.([A-Z]\\w+)\\b`, 'g'))].map((u) => u[1]);
      uses.push({ pkg, names: [...new Set(names)] });
    }
  }
  return uses;
}
