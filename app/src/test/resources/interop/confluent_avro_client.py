#!/usr/bin/python3
"""A client that is not ours: librdkafka (confluent-kafka), Confluent's schema registry client for Python and the
Apache Avro Python library, speaking the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) and the
Confluent registry REST API.

  produce BOOTSTRAP REGISTRY_URL TOPIC COUNT   registers the MetricPoint schema, writes COUNT records
  consume BOOTSTRAP REGISTRY_URL TOPIC COUNT   reads COUNT records, resolving writer schemas by id; prints them as JSON lines
  register BOOTSTRAP REGISTRY_URL TOPIC COUNT  only registers; prints "refused HTTP <status>" if the registry says no

The registry client authenticates as Confluent's clients do, with basic.auth.user.info, taken from the environment
variable REGISTRY_USER_INFO (user:password) when it is set. (Confluent's AvroSerializer needs fastavro, which Debian does
not package, so the records themselves are written with Apache Avro.)
"""
import io
import json
import struct
import sys
import os

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

METRIC_POINT = {
    "type": "record", "name": "MetricPoint", "namespace": "io.millrace.schemas.common",
    "fields": [
        {"name": "series", "type": "string"},
        {"name": "timestamp", "type": "long"},
        {"name": "value", "type": "double"},
        {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {}},
    ],
}


def registry(url):
    conf = {"url": url}
    if os.environ.get("REGISTRY_USER_INFO"):
        conf["basic.auth.user.info"] = os.environ["REGISTRY_USER_INFO"]
    return SchemaRegistryClient(conf)


def register(bootstrap, registry_url, topic, count):
    try:
        schema_id = registry(registry_url).register_schema("%s-value" % topic, Schema(json.dumps(METRIC_POINT), "AVRO"))
        print("registered with schema id %d" % schema_id)
    except SchemaRegistryError as e:
        print("refused HTTP %d: %s" % (e.http_status_code, e.error_message))


def produce(bootstrap, registry_url, topic, count):
    schema_id = registry(registry_url).register_schema("%s-value" % topic, Schema(json.dumps(METRIC_POINT), "AVRO"))
    writer = avro.io.DatumWriter(avro.schema.parse(json.dumps(METRIC_POINT)))
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    for i in range(count):
        buffer = io.BytesIO()
        buffer.write(struct.pack(">bI", 0, schema_id))
        writer.write({"series": "python-%d" % i, "timestamp": 1764000000000 + i, "value": i * 1.5, "tags": {"client": "librdkafka"}},
                     avro.io.BinaryEncoder(buffer))
        producer.produce(topic, key=("python-%d" % i).encode(), value=buffer.getvalue())
    if producer.flush(30) != 0:
        sys.exit("not all records were delivered")
    print("produced %d records with schema id %d" % (count, schema_id))


def consume(bootstrap, registry_url, topic, count):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "interop-python", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    client = registry(registry_url)
    readers = {}
    seen = 0
    while seen < count:
        message = consumer.poll(30)
        if message is None:
            sys.exit("timed out after %d records" % seen)
        if message.error():
            continue
        magic, schema_id = struct.unpack(">bI", message.value()[:5])
        if magic != 0:
            sys.exit("bad magic byte %d" % magic)
        if schema_id not in readers:
            writer_schema = avro.schema.parse(client.get_schema(schema_id).schema_str)
            readers[schema_id] = avro.io.DatumReader(writer_schema)
        record = readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(message.value()[5:])))
        print(json.dumps(record, sort_keys=True))
        seen += 1
    consumer.close()


if __name__ == "__main__":
    mode, bootstrap, registry_url, topic, count = sys.argv[1:6]
    {"produce": produce, "consume": consume, "register": register}[mode](bootstrap, registry_url, topic, int(count))
