/**
 * Builds small trees from folded-stack lines (`a;b;c 5`, or `a;b 5 7` for a diff) for the view
 * tests, through the real TreeBuilder.
 */
import { FrameKind, ProfileTree } from '../../model/profile';
import { FunctionInterner, TreeBuilder } from '../../model/treeBuilder';

export function treeFromFolded(lines: string[], unit = 'nanoseconds'): ProfileTree {
  const fns = new FunctionInterner();
  const diff = lines.some((l) => l.trim().split(' ').length > 2);
  const tb = new TreeBuilder(fns, { diff });
  for (const line of lines) {
    const parts = line.trim().split(' ');
    const stack = parts[0].split(';').map((name) => {
      const kind = name.endsWith('_[k]')
        ? FrameKind.Kernel
        : name.endsWith('_[i]')
          ? FrameKind.Inlined
          : name.endsWith('_[j]')
            ? FrameKind.Jit
            : FrameKind.Normal;
      return fns.intern(kind === FrameKind.Normal ? name : name.slice(0, -4), kind);
    });
    tb.addStack(stack, 0, stack.length, Number(parts[1]), diff ? Number(parts[2] ?? 0) : undefined);
  }
  return tb.build('cpu', unit);
}
