import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Per-subgraph URL overrides; a subgraph not listed uses the supergraph's routing URL. */
  subgraphUrls?: Record<string, string>;
}

/** Builds the @apollo/gateway that plans queries over the composed supergraph. */
export function createGateway(options: GatewayOptions): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: options.subgraphUrls?.[name] ?? url }),
  });
}
