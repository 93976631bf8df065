/**
 * The Organization-wide edge index's DynamoDB table in the emulator, as infra/stack/edges.yml declares it
 * (test/unit/collect/edgeStore.test.ts checks that the template and EDGES_TABLE agree).
 */
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { EDGES_TABLE } from '../../../shared/collect/edgeStore.js';
import { emulatorClientConfig, withAccount } from '../../emulator/accounts.js';

/** A DynamoDB client acting in `account` of the emulator. */
export const dynamoClient = (endpoint: string, account: string, region = 'us-east-1'): DynamoDBClient =>
  withAccount(new DynamoDBClient(emulatorClientConfig(endpoint, region)), account);

/** Creates the edge table `table` (on demand, the shard index); an existing one is kept. */
export const createEdgesTable = async (client: DynamoDBClient, table: string): Promise<void> => {
  const { partitionKey, sortKey, shardIndex, shardKey, shardAttributes } = EDGES_TABLE;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: 'S' },
          { AttributeName: sortKey, AttributeType: 'S' },
          { AttributeName: shardKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: shardIndex,
            KeySchema: [
              { AttributeName: shardKey, KeyType: 'HASH' },
              { AttributeName: partitionKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...shardAttributes] },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
};
