import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { classifyFetch, publicData } from './public-data.js';

const entities = (selection: string): string =>
  `query($representations:[_Any!]!){_entities(representations:$representations){${selection}}}`;

describe('classifyFetch', () => {
  it('takes an _entities fetch of public product fields, through inline and named fragments', () => {
    const products = publicData['products'];
    expect(classifyFetch(parse(entities('__typename ...on Product{name price}')), products)).toBe(
      'public-entities',
    );
    const named = `${entities('...P')} fragment P on Product { id name category }`;
    expect(classifyFetch(parse(named), products)).toBe('public-entities');
    expect(
      classifyFetch(parse(entities('...on Product{inventory{available lowStock}}')), publicData['inventory']),
    ).toBe('public-entities');
  });

  it('refuses any field outside the public list, another type, or another root field', () => {
    const products = publicData['products'];
    expect(classifyFetch(parse(entities('...on Product{name secret}')), products)).toBe('other');
    expect(classifyFetch(parse(entities('...on User{email}')), products)).toBe('other');
    expect(classifyFetch(parse('query{me{email}}'), products)).toBe('other');
    expect(classifyFetch(parse(entities('...on Product{name}')), undefined)).toBe('other');
    expect(classifyFetch(parse(entities('...on Product{inventory}')), publicData['inventory'])).toBe('other');
  });

  it('takes a query of public root fields with their arguments, and nothing beside them', () => {
    const products = publicData['products'];
    const listing =
      'query($first:Int){products(first:$first){edges{node{__typename id name price}}totalCount}}';
    expect(classifyFetch(parse(listing), products)).toBe('public-query');
    expect(classifyFetch(parse('query{product(id:"1"){name}}'), products)).toBe('public-query');
    expect(classifyFetch(parse('query{product(id:"1"){name} me{email}}'), products)).toBe('other');
    expect(
      classifyFetch(parse('query{inventoryItem(productId:"1"){available}}'), publicData['inventory']),
    ).toBe('other');
  });

  it('tells a mutation', () => {
    expect(classifyFetch(parse('mutation{deleteProduct(id:"1")}'), undefined)).toBe('mutation');
  });
});
