/**
 * cdk-nag names a wildcard finding after the resource as it appears in the template, with `Ref`s and
 * `GetAtt`s written as `<Name>` (e.g. `arn:<AWS::Partition>:states:<AWS::Region>:…:*`). Acknowledging
 * exactly that finding — not the whole rule — needs the same spelling, computed here from the token.
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const value = node as Record<string, unknown>;
    if (Array.isArray(value['Fn::Join'])) {
      const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
    if (Array.isArray(value['Fn::GetAtt'])) {
      const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
  }
  throw new Error(`Cannot name a cdk-nag finding for ${JSON.stringify(node)}`);
}

export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}
