import { describe, expect, it } from 'vitest'
import { rewriteReferences } from '../../src/cdk/references.js'

// The manifest names its inputs and resources by logical ID; inside a stack each becomes a token.
const lookup = (id: string, attribute?: string) =>
  id === 'Group' ? (attribute === undefined ? 'TOKEN(group)' : `TOKEN(group.${attribute})`) : id === 'ListenerArn' ? 'TOKEN(listener)' : undefined

describe('rewriteReferences', () => {
  it('replaces Ref and Fn::GetAtt (both spellings) of known IDs, anywhere in the value', () => {
    expect(
      rewriteReferences(
        { Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Group' } }], ListenerArn: { Ref: 'ListenerArn' }, A: { 'Fn::GetAtt': ['Group', 'Arn'] }, B: { 'Fn::GetAtt': 'Group.LoadBalancerArns' } },
        lookup,
      ),
    ).toEqual({ Actions: [{ Type: 'forward', TargetGroupArn: 'TOKEN(group)' }], ListenerArn: 'TOKEN(listener)', A: 'TOKEN(group.Arn)', B: 'TOKEN(group.LoadBalancerArns)' })
  })

  it('leaves pseudo parameters, unknown IDs and plain objects with a Ref key among others alone', () => {
    const value = { R: { Ref: 'AWS::Region' }, U: { Ref: 'Other' }, G: { 'Fn::GetAtt': ['Other', 'Arn'] }, Two: { Ref: 'Group', X: 1 } }
    expect(rewriteReferences(value, lookup)).toEqual(value)
  })

  it('binds ${ID} and ${ID.Attr} of a Fn::Sub body to variables, keeping ${!literal}, pseudo parameters and given variables', () => {
    expect(rewriteReferences({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${Group}/${Group.Arn}/${!Group}' }, lookup)).toEqual({
      'Fn::Sub': ['arn:${AWS::Partition}:x:${albatrossGroup}/${albatrossGroupArn}/${!Group}', { albatrossGroup: 'TOKEN(group)', albatrossGroupArn: 'TOKEN(group.Arn)' }],
    })
    expect(rewriteReferences({ 'Fn::Sub': ['${Group}-${L}', { L: { Ref: 'ListenerArn' } }] }, lookup)).toEqual({
      'Fn::Sub': ['${albatrossGroup}-${L}', { L: 'TOKEN(listener)', albatrossGroup: 'TOKEN(group)' }],
    })
    expect(rewriteReferences({ 'Fn::Sub': 'plain ${AWS::Region}' }, lookup)).toEqual({ 'Fn::Sub': 'plain ${AWS::Region}' })
  })
})
